using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery;
using OtpFunctions.Security;

namespace OtpFunctions.Sending;

/// <summary>Makes codes and the challenge rows that hold them: only the code's keyed hash and the sealed destination are kept.</summary>
public sealed class CodeMinter(DeliveryProtector protector, OtpHasher hasher, IOptions<OtpOptions> options, TimeProvider time)
{
    private readonly OtpOptions limits = options.Value;

    /// <summary>A first code for <paramref name="request"/>, in the destination's partition.</summary>
    public MintedCode New(SendRequest request, string partitionKey)
    {
        var code = CodeGenerator.Generate(limits.CodeLength);
        return new(Build(request.Destination, partitionKey, code, request.Purpose, request.Locale) with { Fallback = request.Fallback }, code);
    }

    /// <summary>
    /// A code another sign-in service generated and checks itself (Entra, Supabase): stored like ours (only its keyed
    /// hash), in the destination's partition, marked relayed so it can be neither verified nor resent here. Its
    /// lifetime is how long delivery keeps trying; the other service decides how long the code itself works.
    /// </summary>
    public MintedCode Relayed(Destination destination, string code, string purpose, string locale, string? template = null, string? partitionKey = null) =>
        new(Build(destination, partitionKey ?? hasher.DestinationKey(destination.Channel, destination.Normalized), code, purpose, locale) with { Relayed = true, Template = template }, code);

    private Challenge Build(Destination destination, string partitionKey, string code, string purpose, string locale)
    {
        var now = time.GetUtcNow();
        var id = ChallengeId.Create(partitionKey, CodeGenerator.NewToken());
        return new Challenge
        {
            Id = id,
            Channel = destination.Channel,
            Purpose = purpose,
            Locale = locale,
            MaskedTo = destination.Masked,
            CallingCode = destination.CallingCode,
            SealedTo = protector.SealDestination(id.Value, destination.Normalized),
            CodeHash = hasher.HashCode(id.Value, code),
            CodeVersion = 1,
            OperationId = Guid.NewGuid(),
            CreatedAt = now,
            LastSentAt = now,
            ExpiresAt = now + limits.CodeLifetime,
            State = ChallengeState.Pending,
            FailedAttempts = 0,
        };
    }

    /// <summary>The next code of <paramref name="challenge"/>: a new version, never equal to the code it replaces.</summary>
    public MintedCode Again(Challenge challenge)
    {
        var now = time.GetUtcNow();
        var code = NewCodeUnlike(challenge);
        var resent = challenge with
        {
            CodeHash = hasher.HashCode(challenge.Id.Value, code),
            CodeVersion = challenge.CodeVersion + 1,
            OperationId = Guid.NewGuid(),
            LastSentAt = now,
            ExpiresAt = now + limits.CodeLifetime,
        };
        return new MintedCode(resent, code);
    }

    /// <summary>False when the destination was sealed under an encryption key rotated out: it cannot be read again to resend to.</summary>
    public bool CanReach(Challenge challenge) => protector.CanOpenDestination(challenge.SealedTo);

    private string NewCodeUnlike(Challenge challenge)
    {
        string code;
        do
        {
            code = CodeGenerator.Generate(limits.CodeLength);
        }
        while (hasher.CodeMatches(challenge.Id.Value, code, challenge.CodeHash));
        return code;
    }
}

/// <summary>A challenge as it will be stored and the code it holds the hash of: the code itself only travels to the delivery queue.</summary>
public sealed record MintedCode(Challenge Challenge, string Code);
