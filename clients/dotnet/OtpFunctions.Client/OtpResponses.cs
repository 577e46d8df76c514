using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OtpFunctions.Client;

/// <summary>Turns an answer into a result: the body on success, an <see cref="OtpError"/> on any other status.</summary>
internal static class OtpResponses
{
    public static async Task<OtpResult<T>> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            return OtpResult<T>.Failure(await ErrorAsync(response, cancellationToken).ConfigureAwait(false));
        }

        var value = await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false);
        return value is null
            ? throw new JsonException($"The OTP service answered {(int)response.StatusCode} without a body.")
            : OtpResult<T>.Success(value);
    }

    public static async Task<OtpResult> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.IsSuccessStatusCode ? OtpResult.Success() : OtpResult.Failure(await ErrorAsync(response, cancellationToken).ConfigureAwait(false));

    /// <summary>The wait a 429 or 503 asks for: the header (seconds or a date), else nothing.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static async Task<OtpError> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await BodyAsync(response, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        return new OtpError(
            body?.Error ?? "http_" + status.ToString(CultureInfo.InvariantCulture),
            body?.Message ?? response.ReasonPhrase ?? "HTTP " + status.ToString(CultureInfo.InvariantCulture),
            response.StatusCode,
            body?.AttemptsLeft,
            RetryAfter(response) ?? (body?.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : null));
    }

    // A proxy or gateway may answer with HTML or nothing: the status alone then makes the error.
    private static async Task<ErrorBody?> BodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        try
        {
            return await response.Content.ReadFromJsonAsync(OtpJsonContext.Default.ErrorBody, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
