using System.Net;
using OtpFunctions.Configuration;

namespace OtpFunctions.Entra;

/// <summary>
/// <c>Otp:Entra</c>: who may call <c>POST /api/entra/otp-send</c>. The route is off (404) until
/// <see cref="Authority"/> and <see cref="Audience"/> are set.
/// </summary>
public sealed class EntraOptions
{
    public const string Section = SettingNames.Entra;

    /// <summary>
    /// The app id Entra documents for its custom authentication extensions service: the <c>azp</c> (v2) or
    /// <c>appid</c> (v1) of every token Entra sends to an extension. Used when <see cref="AuthorizedParty"/> is not set.
    /// </summary>
    public const string EntraExtensionsAppId = "99045fe1-7639-4a75-9d4a-577b6ca3810f";

    /// <summary>The tenant's issuer, e.g. <c>https://contoso.ciamlogin.com/{tenantId}/v2.0</c>; its OpenID metadata names the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The extension's app registration id: the token's <c>aud</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>The calling app: the token's <c>azp</c> or <c>appid</c>.</summary>
    public string? AuthorizedParty { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(Audience);

    public string AuthorizedPartyOrDefault => string.IsNullOrWhiteSpace(AuthorizedParty) ? EntraExtensionsAppId : AuthorizedParty.Trim();

    /// <summary>The metadata document under the authority, as OpenID Connect Discovery places it.</summary>
    public Uri MetadataAddress => new(Authority!.Trim().TrimEnd('/') + "/.well-known/openid-configuration");

    /// <summary>https, or plain http to 127.0.0.1 only: the loopback fakes tests and local runs use.</summary>
    public static bool IsAllowedAuthority(string? value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri)
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork));
}
