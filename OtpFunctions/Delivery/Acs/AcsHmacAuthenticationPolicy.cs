using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OtpFunctions.Delivery.Acs;

/// <summary>
/// Signs each request with the ACS access key: HMAC-SHA256 over
/// "{METHOD}\n{path and query}\n{x-ms-date};{host};{x-ms-content-sha256}".
/// </summary>
public sealed class AcsHmacAuthenticationPolicy(byte[] accessKey, TimeProvider timeProvider) : HttpPipelinePolicy
{
    public const string SignedHeaders = "x-ms-date;host;x-ms-content-sha256";

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Sign(message, HashBody(message));
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Sign(message, await HashBodyAsync(message).ConfigureAwait(false));
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
    }

    /// <summary>The string ACS signs; public so the test fake recomputes it the same way.</summary>
    public static string StringToSign(string method, string pathAndQuery, string date, string host, string contentHash) =>
        $"{method.ToUpperInvariant()}\n{pathAndQuery}\n{date};{host};{contentHash}";

    public static string ComputeSignature(byte[] key, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

    private void Sign(HttpMessage message, string contentHash)
    {
        var uri = message.Request.Uri.ToUri();
        var date = timeProvider.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        var signature = ComputeSignature(accessKey, StringToSign(message.Request.Method.Method, uri.PathAndQuery, date, uri.Authority, contentHash));
        message.Request.Headers.SetValue("x-ms-date", date);
        message.Request.Headers.SetValue("x-ms-content-sha256", contentHash);
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, $"HMAC-SHA256 SignedHeaders={SignedHeaders}&Signature={signature}");
    }

    private static string HashBody(HttpMessage message)
    {
        using var body = new MemoryStream();
        message.Request.Content?.WriteTo(body, message.CancellationToken);
        return Convert.ToBase64String(SHA256.HashData(body.ToArray()));
    }

    private static async Task<string> HashBodyAsync(HttpMessage message)
    {
        using var body = new MemoryStream();
        if (message.Request.Content is { } content)
        {
            await content.WriteToAsync(body, message.CancellationToken).ConfigureAwait(false);
        }

        return Convert.ToBase64String(SHA256.HashData(body.ToArray()));
    }
}
