using OtpFunctions.Challenges;

namespace OtpFunctions.Delivery;

/// <summary>
/// A delivery queue message worth acting on: its envelope, the pending challenge and status row it names, and what
/// the envelope hides (null when it does not decrypt under a configured key).
/// </summary>
public sealed record QueuedCode(string Message, DeliveryEnvelope Envelope, DeliveryRead Read, DeliverySecret? Secret)
{
    public Challenge Challenge => Read.Challenge!;

    public string ChallengeId => Envelope.ChallengeId;

    public int CodeVersion => Envelope.CodeVersion;

    /// <summary>The number of the attempt being made: the status row counts the ones before it.</summary>
    public int Attempt => Challenge.Delivery!.Attempts + 1;
}
