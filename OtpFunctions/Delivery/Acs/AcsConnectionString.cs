using System.Diagnostics.CodeAnalysis;

namespace OtpFunctions.Delivery.Acs;

/// <summary>An ACS connection string: <c>endpoint=https://…;accesskey=…</c>.</summary>
public sealed record AcsConnectionString(Uri Endpoint, byte[] AccessKey)
{
    public static AcsConnectionString Parse(string connectionString) =>
        TryParse(connectionString, out var parsed, out var error) ? parsed : throw new FormatException(error);

    /// <summary>Parses without ever echoing the key back in <paramref name="error"/>.</summary>
    public static bool TryParse(string? connectionString, [NotNullWhen(true)] out AcsConnectionString? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        var (endpoint, accessKey) = Fields(connectionString);
        if (string.IsNullOrEmpty(endpoint) || string.IsNullOrEmpty(accessKey))
        {
            error = "an ACS connection string needs both endpoint=… and accesskey=…";
            return false;
        }

        if (!TryParseEndpoint(endpoint, out var endpointUri, out error))
        {
            return false;
        }

        var key = new byte[accessKey.Length];
        if (!Convert.TryFromBase64String(accessKey, key, out var written) || written == 0)
        {
            error = "the ACS access key is not valid base64";
            return false;
        }

        parsed = new AcsConnectionString(endpointUri, key[..written]);
        error = null;
        return true;
    }

    /// <summary>The endpoint and access key fields, by case-insensitive name; anything else is ignored.</summary>
    private static (string? Endpoint, string? AccessKey) Fields(string? connectionString)
    {
        string? endpoint = null;
        string? accessKey = null;
        foreach (var part in (connectionString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            if (name.Equals("endpoint", StringComparison.OrdinalIgnoreCase))
            {
                endpoint = value;
            }
            else if (name.Equals("accesskey", StringComparison.OrdinalIgnoreCase))
            {
                accessKey = value;
            }
        }

        return (endpoint, accessKey);
    }

    /// <summary>
    /// HTTPS only, except plain HTTP to a loopback address so local fakes work without
    /// sending codes in clear text across a network.
    /// </summary>
    public static bool TryParseEndpoint(string? value, [NotNullWhen(true)] out Uri? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            error = "the ACS endpoint is not an absolute URL";
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        {
            error = "the ACS endpoint must use https (http is accepted only for a loopback address)";
            return false;
        }

        endpoint = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
        error = null;
        return true;
    }

    // The key must never reach a log through the record's generated ToString.
    public override string ToString() => $"endpoint={Endpoint};accesskey=***";
}
