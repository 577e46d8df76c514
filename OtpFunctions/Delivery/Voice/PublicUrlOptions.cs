using OtpFunctions.Configuration;

namespace OtpFunctions.Delivery.Voice;

/// <summary><c>Otp:PublicBaseUrl</c>: where ACS reaches this app, for Call Automation callbacks.</summary>
public sealed class PublicUrlOptions
{
    public const string Section = SettingNames.Otp;

    public string? PublicBaseUrl { get; set; }

    /// <summary>The callback route of one code's call: <c>{base}/api/events/calls/{id}?v={version}&amp;sig={signature}</c>.</summary>
    public Uri CallbackUri(string challengeId, int codeVersion, string signature) =>
        new($"{PublicBaseUrl!.TrimEnd('/')}/api/events/calls/{Uri.EscapeDataString(challengeId)}?v={codeVersion}&sig={signature}");

    /// <summary>https anywhere; http only on loopback, for local fakes.</summary>
    public static bool IsAcceptable(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
