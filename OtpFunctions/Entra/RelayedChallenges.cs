using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Security;

namespace OtpFunctions.Entra;

/// <summary>
/// Makes the challenge row for a code Entra generated: like our own, it keeps only the code's keyed hash and the
/// sealed address, in the address's partition; it is marked relayed, so it can be neither verified nor resent here.
/// </summary>
public sealed class RelayedChallenges(DeliveryProtector protector, OtpHasher hasher, ChallengeRules rules, TimeProvider time)
{
    public Challenge New(OtpSendEvent otpSend)
    {
        var destination = otpSend.Destination;
        var now = time.GetUtcNow();
        var id = ChallengeId.Create(hasher.DestinationKey(destination.Channel, destination.Normalized), CodeGenerator.NewToken());
        return new Challenge
        {
            Id = id,
            Channel = Channel.Email,
            Purpose = EntraOtpRelay.Purpose,
            Locale = otpSend.Locale,
            MaskedTo = destination.Masked,
            SealedTo = protector.SealDestination(id.Value, destination.Normalized),
            CodeHash = hasher.HashCode(id.Value, otpSend.Code),
            CodeVersion = 1,
            OperationId = Guid.NewGuid(),
            CreatedAt = now,
            LastSentAt = now,
            // How long delivery keeps trying; Entra decides how long the code itself works.
            ExpiresAt = now + rules.Limits.CodeLifetime,
            State = ChallengeState.Pending,
            FailedAttempts = 0,
            Relayed = true,
        };
    }
}
