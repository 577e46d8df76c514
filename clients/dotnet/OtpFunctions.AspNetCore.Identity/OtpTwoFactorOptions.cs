using OtpFunctions.Client;

namespace OtpFunctions.AspNetCore.Identity;

/// <summary>How <see cref="OtpTwoFactorTokenProvider{TUser}"/> sends codes.</summary>
public sealed class OtpTwoFactorOptions
{
    /// <summary>The phone channel codes go out on: <see cref="OtpChannel.Sms"/> (default), <see cref="OtpChannel.WhatsApp"/> or <see cref="OtpChannel.Voice"/>.</summary>
    public string PhoneChannel { get; set; } = OtpChannel.Sms;

    /// <summary>Phone channels the service tries next when delivery on <see cref="PhoneChannel"/> finally fails (for example <c>["sms"]</c> after WhatsApp).</summary>
    public IReadOnlyList<string>? Fallback { get; set; }

    /// <summary>Send to the user's confirmed email when they have no confirmed phone number (default true).</summary>
    public bool AllowEmail { get; set; } = true;

    /// <summary>The service's purpose for these codes (default <c>login</c>); an anonymous caller may only use the operator's allowed purposes.</summary>
    public string Purpose { get; set; } = "login";

    /// <summary>The message's language; null leaves it to the service (<c>en</c>).</summary>
    public string? Locale { get; set; }
}
