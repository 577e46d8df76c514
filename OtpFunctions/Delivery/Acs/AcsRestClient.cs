using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OtpFunctions.Delivery.Acs;

/// <summary>One ACS resource: its endpoint and an authenticated pipeline (access key or Entra ID).</summary>
public sealed class AcsRestClient(Uri endpoint, HttpPipeline pipeline, TimeProvider timeProvider)
{
    public Uri Endpoint { get; } = endpoint;

    public static AcsRestClient WithAccessKey(AcsConnectionString connectionString, TimeProvider timeProvider, AcsClientOptions? options = null) =>
        new(connectionString.Endpoint,
            HttpPipelineBuilder.Build(options ?? new AcsClientOptions(), new AcsHmacAuthenticationPolicy(connectionString.AccessKey, timeProvider)),
            timeProvider);

    public static AcsRestClient WithTokenCredential(Uri endpoint, TokenCredential credential, TimeProvider timeProvider, AcsClientOptions? options = null) =>
        new(endpoint,
            HttpPipelineBuilder.Build(options ?? new AcsClientOptions(), new AcsTokenAuthenticationPolicy(credential, timeProvider)),
            timeProvider);

    internal Task<AcsRestResponse> PostJsonAsync(string pathAndQuery, byte[] json, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken) =>
        SendAsync(RequestMethod.Post, pathAndQuery, json, headers, cancellationToken);

    /// <summary>A request without a body (Call Automation's hang-up is a DELETE), signed the same way.</summary>
    internal Task<AcsRestResponse> DeleteAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAsync(RequestMethod.Delete, pathAndQuery, null, new Dictionary<string, string>(), cancellationToken);

    private async Task<AcsRestResponse> SendAsync(RequestMethod method, string pathAndQuery, byte[]? json, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        using var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(Endpoint, pathAndQuery));
        message.Request.Headers.SetValue(HttpHeader.Names.Accept, "application/json");
        if (json is not null)
        {
            message.Request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
            message.Request.Content = RequestContent.Create(json);
        }

        foreach (var (name, value) in headers)
        {
            message.Request.Headers.SetValue(name, value);
        }

        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        return new AcsRestResponse(response.Status, response.Content, RetryAfter(response), response.Headers.TryGetValue("Operation-Location", out var location) ? location : null);
    }

    private TimeSpan? RetryAfter(Response response)
    {
        foreach (var name in (string[])["retry-after-ms", "x-ms-retry-after-ms"])
        {
            if (response.Headers.TryGetValue(name, out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
            {
                return TimeSpan.FromMilliseconds(millis);
            }
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? TimeSpan.FromTicks(Math.Max(0, (at - timeProvider.GetUtcNow()).Ticks))
            : null;
    }
}

internal sealed record AcsRestResponse(int Status, BinaryData Body, TimeSpan? RetryAfter, string? OperationLocation)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>How ACS answers become outcomes; reasons stay short and never echo a destination or the text.</summary>
internal static class AcsOutcomes
{
    public static bool IsTransientStatus(int status) => status is 408 or 429 or >= 500;

    public static DeliveryOutcome FromFailedResponse(AcsRestResponse response) => response.Status switch
    {
        var status when IsTransientStatus(status) => DeliveryOutcome.Transient($"ACS answered {status}", response.RetryAfter),
        401 or 403 => DeliveryOutcome.Permanent($"ACS refused the credentials ({response.Status})"),
        var status => DeliveryOutcome.Permanent(ErrorCode(response.Body) is { } code ? $"ACS answered {status} ({code})" : $"ACS answered {status}"),
    };

    public static DeliveryOutcome? FromException(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when !cancellationToken.IsCancellationRequested => DeliveryOutcome.Transient("ACS did not answer in time"),
        RequestFailedException { Status: 0 } or HttpRequestException or IOException => DeliveryOutcome.Transient("ACS could not be reached"),
        _ => null,
    };

    /// <summary>ACS error codes are identifiers like "InvalidRecipient"; anything else is dropped.</summary>
    private static string? ErrorCode(BinaryData body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code)
                && code.GetString() is { Length: > 0 and <= 64 } text
                && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return text;
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
