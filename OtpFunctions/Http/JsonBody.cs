using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace OtpFunctions.Http;

/// <summary>Reads a small JSON object body and its string fields, turning every defect into a clear 400.</summary>
public sealed class JsonBody
{
    public const int MaxBytes = 4096;

    private readonly JsonElement root;

    private JsonBody(JsonElement root) => this.root = root;

    /// <summary>The parsed object, for bodies with nested objects (Entra's events).</summary>
    public JsonElement Root => root;

    public static Task<Result<JsonBody>> ReadAsync(HttpRequest request, CancellationToken cancellationToken) => ReadAsync(request, MaxBytes, cancellationToken);

    // maxBytes: a larger limit for a body whose size another service decides (Entra's events).
    public static async Task<Result<JsonBody>> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        // Form, text and typeless bodies are what a foreign web page can post without a CORS preflight: refuse them.
        if (!IsJson(request.ContentType))
        {
            return ApiError.UnsupportedMediaType();
        }

        var body = await ReadBodyAsync(request, maxBytes, cancellationToken);
        return body.Error is { } error ? error : body.Value ?? Parse(ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>
    /// A body that may be absent (resend): none at all, with no Content-Type or a JSON one, is null. A declared type
    /// other than JSON, or a body without a type, is refused as a send's would be.
    /// </summary>
    public static async Task<Result<JsonBody?>> ReadOptionalAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var typed = request.ContentType is { Length: > 0 };
        if (typed && !IsJson(request.ContentType))
        {
            return ApiError.UnsupportedMediaType();
        }

        var body = await ReadBodyAsync(request, MaxBytes, cancellationToken);
        var present = body.Value is not null || body.Error is not null;
        return present && !typed ? ApiError.UnsupportedMediaType() : body;
    }

    /// <summary>The parsed body, or null when there is none.</summary>
    private static async Task<Result<JsonBody?>> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return ApiError.InvalidRequest($"The body must not exceed {maxBytes} bytes.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            var length = await ReadUpToAsync(request.Body, buffer.AsMemory(0, maxBytes + 1), cancellationToken);
            if (length == 0)
            {
                return new Result<JsonBody?>(null, null);
            }

            var parsed = length > maxBytes ? ApiError.InvalidRequest($"The body must not exceed {maxBytes} bytes.") : Parse(buffer.AsMemory(0, length));
            return parsed.Error is { } error ? error : parsed.Value;
        }
        catch (BadHttpRequestException)
        {
            return ApiError.InvalidRequest("The body could not be read.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads until the buffer is full or the body ends: one byte past the limit is enough to refuse it.</summary>
    private static async Task<int> ReadUpToAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer[length..], cancellationToken)) > 0)
        {
            length += read;
        }

        return length;
    }

    private static Result<JsonBody> Parse(ReadOnlyMemory<byte> json)
    {
        if (json.IsEmpty)
        {
            return ApiError.InvalidRequest("The body must be a JSON object.");
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ApiError.InvalidRequest("The body must be a JSON object.");
            }

            return new JsonBody(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            return ApiError.InvalidRequest("The body is not valid JSON.");
        }
    }

    /// <summary>api.md: <c>application/json</c>, a charset parameter fine as long as it names UTF-8 (the only encoding read).</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (parsed.Charset.Length == 0 || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || parsed.Charset.Equals("\"utf-8\"", StringComparison.OrdinalIgnoreCase));

    /// <summary>A required or optional string field; any other JSON type is an error naming the field.</summary>
    public Result<string?> GetString(string name, bool required, int maxLength)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? ApiError.InvalidRequest($"{name} is required.") : new Result<string?>(null, null);
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return ApiError.InvalidRequest($"{name} must be a string.");
        }

        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape such as "\ud800" is valid JSON but no valid text.
            return ApiError.InvalidRequest($"{name} is not valid Unicode text.");
        }

        if (text.Length > maxLength)
        {
            return ApiError.InvalidRequest($"{name} must be at most {maxLength} characters.");
        }

        if (required && string.IsNullOrWhiteSpace(text))
        {
            return ApiError.InvalidRequest($"{name} is required.");
        }

        return text;
    }
}
