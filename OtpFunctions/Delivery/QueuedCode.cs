using OtpFunctions.Challenges;

namespace OtpFunctions.Delivery;

/// <summary>A delivery queue message worth acting on: its envelope, and the pending challenge and status row it names.</summary>
public sealed record QueuedCode(string Message, DeliveryEnvelope Envelope, DeliveryRead Read)
{
    public Challenge Challenge => Read.Challenge!;

    public string ChallengeId => Envelope.ChallengeId;

    public int CodeVersion => Envelope.CodeVersion;

    /// <summary>The number of the attempt being made: the status row counts the ones before it.</summary>
    public int Attempt => Challenge.Delivery!.Attempts + 1;
}
