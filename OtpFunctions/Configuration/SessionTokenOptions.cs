namespace OtpFunctions.Configuration;

/// <summary>
/// Who issues session tokens and for whom. An issuer that is an absolute URL (the deployment's public base
/// URL, with the <c>/api</c> prefix) turns on OpenID discovery; the defaults keep tokens issued before it valid.
/// </summary>
public sealed class SessionTokenOptions
{
    public const string DefaultName = "otp-functions";

    public string Issuer { get; set; } = DefaultName;

    public string Audience { get; set; } = DefaultName;

    /// <summary>The issuer as a URL when it is one that discovery may publish; null for a plain name.</summary>
    public Uri? IssuerUrl => Uri.TryCreate(Issuer, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? url : null;

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Issuer) || Issuer.Length > 512)
        {
            yield return "Otp:Sessions:Issuer must be a name or the public base URL (https://otp.example.com/api), at most 512 characters.";
        }
        else if (IssuerUrl is { } url)
        {
            // Discovery clients fetch <issuer>/.well-known/openid-configuration and compare issuers as strings:
            // plain http would let anyone on the path swap the keys, and a trailing slash or query breaks the match.
            if (url.Scheme == "http" && !url.IsLoopback)
            {
                yield return $"Otp:Sessions:Issuer must use https (http is accepted only for 127.0.0.1 or localhost); it is {Issuer}.";
            }

            if (Issuer.EndsWith('/') || url.Query.Length > 0 || url.Fragment.Length > 0)
            {
                yield return $"Otp:Sessions:Issuer must be a base URL without a trailing slash, query or fragment (https://otp.example.com/api); it is {Issuer}.";
            }
        }

        if (string.IsNullOrWhiteSpace(Audience) || Audience.Length > 512)
        {
            yield return "Otp:Sessions:Audience must be set (at most 512 characters): the name your backends expect in aud.";
        }
    }
}
