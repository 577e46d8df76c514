namespace OtpFunctions.Client;

/// <summary>The body of <c>POST /api/otp</c>: send a code.</summary>
/// <param name="Channel">One of <see cref="OtpChannel"/>: <c>sms</c>, <c>whatsapp</c> and <c>voice</c> take an E.164 number, <c>email</c> an address.</param>
/// <param name="To">The E.164 phone number (<c>+14155550100</c>) or email address.</param>
public sealed record SendRequest(string Channel, string To)
{
    /// <summary>What the code is for (the service's default is <c>login</c>); an anonymous caller may only use the operator's allowed purposes.</summary>
    public string? Purpose { get; init; }

    /// <summary>The message's language (default <c>en</c>; an unknown one falls back to <c>en</c>).</summary>
    public string? Locale { get; init; }

    /// <summary>Other phone channels tried in order, each only after delivery on the one before finally failed. Not for email.</summary>
    public IReadOnlyList<string>? Fallback { get; init; }
}
