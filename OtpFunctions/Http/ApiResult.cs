using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace OtpFunctions.Http;

/// <summary>
/// Writes a JSON answer straight to the response. It needs no MVC services, so the Functions host and
/// the local host execute it identically.
/// </summary>
public sealed class ApiResult(int status, object? body, TimeSpan? retryAfter = null) : IActionResult
{
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public int Status => status;

    public object? Body => body;

    public static ApiResult Ok(object body) => new(StatusCodes.Status200OK, body);

    public static ApiResult Accepted(object body) => new(StatusCodes.Status202Accepted, body);

    public static ApiResult NoContent() => new(StatusCodes.Status204NoContent, null);

    public static ApiResult From(ApiError error) => new(error.Status, ErrorBody.From(error), error.RetryAfter);

    public static ApiResult From<T>(Result<T> result, Func<T, ApiResult> onSuccess) => result.Error is { } error ? From(error) : onSuccess(result.Value!);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = ApiError.Seconds(wait).ToString(CultureInfo.InvariantCulture);
        }

        if (body is null)
        {
            return;
        }

        response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(response.Body, body, body.GetType(), Json, context.HttpContext.RequestAborted);
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        // Relaxed escaping keeps "+1415*****00" readable; bodies are application/json, never HTML.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        options.Converters.Add(new UtcSecondsConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>api.md's time format: ISO-8601 UTC to the second, rounded down (like a JWT's exp), so a code or session never looks valid longer than it is.</summary>
    private sealed class UtcSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        {
            var utc = value.UtcDateTime;
            var whole = new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            writer.WriteStringValue(whole.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
    }

    private sealed record ErrorBody(
        string Error,
        string Message,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? AttemptsLeft,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RetryAfter)
    {
        public static ErrorBody From(ApiError error) =>
            new(error.Code, error.Message, error.AttemptsLeft, error.RetryAfter is { } wait ? ApiError.Seconds(wait) : null);
    }
}
