using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Security;

namespace OtpFunctions.Supabase;

/// <summary>
/// Makes the challenge row for a code Supabase generated: like our own, it keeps only the code's keyed hash and the
/// sealed destination, in the destination's partition; it is marked relayed, since Supabase checks its own codes.
/// </summary>
public sealed class SupabaseChallenges(DeliveryProtector protector, OtpHasher hasher, ChallengeRules rules, TimeProvider time)
{
    public Challenge New(HookMessage message, string partitionKey)
    {
        var destination = message.Destination;
        var now = time.GetUtcNow();
        var id = ChallengeId.Create(partitionKey, CodeGenerator.NewToken());
        return new Challenge
        {
            Id = id,
            Channel = destination.Channel,
            Purpose = SupabaseRelay.Purpose,
            Template = message.Template,
            Locale = message.Locale,
            MaskedTo = destination.Masked,
            CallingCode = destination.CallingCode,
            SealedTo = protector.SealDestination(id.Value, destination.Normalized),
            CodeHash = hasher.HashCode(id.Value, message.Code),
            CodeVersion = 1,
            OperationId = Guid.NewGuid(),
            CreatedAt = now,
            LastSentAt = now,
            // How long delivery keeps trying; Supabase decides how long the code itself works.
            ExpiresAt = now + rules.Limits.CodeLifetime,
            State = ChallengeState.Pending,
            FailedAttempts = 0,
            Relayed = true,
        };
    }
}
