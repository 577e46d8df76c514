using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Supabase;

/// <summary>
/// What a hook request passes before its payload is read: the hooks are configured, the body is of a sane size,
/// and Supabase signed it (Standard Webhooks, within five minutes). The signature covers the exact bytes, so the
/// body is read as bytes first and parsed only once it is known to be Supabase's.
/// </summary>
public sealed class HookGate(HookSecrets secrets, IOptions<SupabaseOptions> options, ILogger<HookGate> logger)
{
    /// <summary>The user object Supabase sends carries the app's metadata: room for it, but not for anything.</summary>
    public const int MaxBytes = 64 * 1024;

    public async Task<Result<JsonElement>> OpenAsync(HttpRequest request, string hook, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return new ApiError(404, "not_found", "The Supabase hooks are not configured (Otp:Supabase:HookSecret).");
        }

        var body = await ReadAsync(request, cancellationToken);
        if (body.Error is { } bodyError)
        {
            return bodyError;
        }

        var bytes = body.Value!;
        var check = secrets.Check(request.Headers, bytes);
        if (check != HookSignatureCheck.Valid)
        {
            OtpLog.SupabaseSignatureRefused(logger, hook, check.ToString());
            return new ApiError(401, "unauthorized", "The webhook signature is missing, does not match the hook secret, or is more than five minutes old.");
        }

        return Parse(bytes);
    }

    private static async Task<Result<byte[]>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return ApiError.InvalidRequest($"The body must not exceed {MaxBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBytes)
                {
                    return ApiError.InvalidRequest($"The body must not exceed {MaxBytes} bytes.");
                }
            }
        }
        catch (BadHttpRequestException)
        {
            return ApiError.InvalidRequest("The body could not be read.");
        }

        return buffer.ToArray();
    }

    private static Result<JsonElement> Parse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : ApiError.InvalidRequest("The body must be a JSON object.");
        }
        catch (JsonException)
        {
            return ApiError.InvalidRequest("The body is not valid JSON.");
        }
    }
}
