using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OtpFunctions.Http;

namespace OtpFunctions.Supabase;

/// <summary>
/// The answers Supabase Auth reads from an HTTP hook: <c>200 {}</c> once the codes are queued, otherwise its
/// documented error body <c>{"error": {"http_code": &lt;status&gt;, "message": "…"}}</c> with that status, and
/// <c>Retry-After</c> on the 429s and 503s Supabase retries. A 404 (the hooks are off) is the answer any unknown
/// route gets.
/// </summary>
public sealed class HookAnswer(int status, string? message, TimeSpan? retryAfter) : IActionResult
{
    public static readonly HookAnswer Queued = new(StatusCodes.Status200OK, null, null);

    public int Status => status;

    public static IActionResult From(ApiError error) =>
        error.Status == StatusCodes.Status404NotFound ? ApiResult.From(error) : new HookAnswer(error.Status, error.Message, error.RetryAfter);

    /// <summary>The guard's own answers (storage down, an unforeseen fault) in Supabase's error body.</summary>
    public static IActionResult From(IActionResult result) => result switch
    {
        ApiResult { Status: StatusCodes.Status503ServiceUnavailable } => From(ApiError.Unavailable()),
        ApiResult { Status: >= 500 } failed => new HookAnswer(failed.Status, "Something went wrong; nothing was queued, and a retry may succeed.", null),
        _ => result,
    };

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = ApiError.Seconds(wait).ToString(CultureInfo.InvariantCulture);
        }

        // Supabase Auth refuses a 200 without a JSON content type.
        response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        if (message is not null)
        {
            writer.WriteStartObject("error");
            writer.WriteNumber("http_code", status);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.HttpContext.RequestAborted);
    }
}
