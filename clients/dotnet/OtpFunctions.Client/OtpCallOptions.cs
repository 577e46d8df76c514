namespace OtpFunctions.Client;

/// <summary>Per-call headers of a send or resend.</summary>
public sealed record OtpCallOptions
{
    /// <summary>
    /// The bot check's token for this call (for example the one a page posted to your backend); overrides
    /// <see cref="OtpClientOptions.BotToken"/>.
    /// </summary>
    public string? BotToken { get; init; }

    /// <summary>
    /// The <c>Idempotency-Key</c> of a send. Leave it null and the client makes one per call; set your own (a UUID) to make
    /// a retry of the same user action, even from another process, return the first answer instead of sending again.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
