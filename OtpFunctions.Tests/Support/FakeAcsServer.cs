using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using OtpFunctions.Delivery.Acs;

namespace OtpFunctions.Tests.Support;

/// <summary>What the fake answers to the next accepted request.</summary>
public sealed record FakeAcsResponse(int Status, TimeSpan? RetryAfter = null, int? RecipientStatus = null, TimeSpan? Delay = null)
{
    public static FakeAcsResponse Accepted { get; } = new(202);

    public static FakeAcsResponse WithStatus(int status, TimeSpan? retryAfter = null) => new(status, retryAfter);

    /// <summary>HTTP 202 whose only recipient failed with <paramref name="httpStatusCode"/>, as ACS reports it.</summary>
    public static FakeAcsResponse RecipientFailed(int httpStatusCode) => new(202, RecipientStatus: httpStatusCode);

    public static FakeAcsResponse Slow(TimeSpan delay) => new(202, Delay: delay);
}

/// <summary>One request as the fake saw it, with its verdict (<see cref="Rejection"/> null when it passed every check).</summary>
public sealed record FakeAcsRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredStatus, string? Rejection)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }
}

/// <summary>
/// An ACS look-alike on 127.0.0.1 with an ephemeral port: checks the HMAC signature, content hash, date
/// and body shape of every SMS and Email send the way ACS does, records each request, and answers as told.
/// </summary>
public sealed class FakeAcsServer(TimeProvider? clock = null) : IAsyncDisposable
{
    public const string SmsApiVersion = "2021-03-07";
    public const string EmailApiVersion = "2023-03-31";

    /// <summary>Advanced Messaging, stable 2024-08-30 (specification/communication/data-plane/Messages/stable/2024-08-30).</summary>
    public const string MessagesApiVersion = "2024-08-30";

    /// <summary>Call Automation, stable 2024-09-15 (specification/communication/data-plane/CallAutomation/stable/2024-09-15).</summary>
    public const string CallAutomationApiVersion = "2024-09-15";

    private static readonly string[] BindingParts = ["header", "body", "footer", "buttons"];
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentQueue<FakeAcsRequest> _requests = new();
    private readonly ConcurrentQueue<FakeAcsResponse> _responses = new();
    private WebApplication? _app;

    public byte[] AccessKey { get; } = RandomNumberGenerator.GetBytes(32);

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    public string ConnectionString => $"endpoint={Endpoint};accesskey={Convert.ToBase64String(AccessKey)}";

    /// <summary>The settings that send SMS through this fake with the real ACS provider.</summary>
    public Dictionary<string, string?> SmsSettings() => new()
    {
        ["Otp:Delivery:Sms:Provider"] = "Acs",
        ["Otp:Delivery:Sms:ConnectionString"] = ConnectionString,
        ["Otp:Delivery:Sms:From"] = "+18005550100",
    };

    /// <summary>The settings that send SMS and email through this fake with the real ACS providers.</summary>
    public Dictionary<string, string?> SmsAndEmailSettings() => new(SmsSettings())
    {
        ["Otp:Delivery:Email:Provider"] = "Acs",
        ["Otp:Delivery:Email:ConnectionString"] = ConnectionString,
        ["Otp:Delivery:Email:From"] = "DoNotReply@example.com",
    };

    /// <summary>When set, <c>Authorization: Bearer {token}</c> is accepted as well as the access key.</summary>
    public string? BearerToken { get; set; }

    public IReadOnlyList<FakeAcsRequest> Requests => [.. _requests];

    /// <summary>Queues answers for the next requests that pass the checks; once used up, it answers 202.</summary>
    public void RespondWith(params FakeAcsResponse[] responses)
    {
        foreach (var response in responses)
        {
            _responses.Enqueue(response);
        }
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange", "false"]);
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        Endpoint = new Uri(_app.Urls.Single().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var text = Encoding.UTF8.GetString(body);

        var (status, rejection) = Check(context, rawTarget, body, text);
        FakeAcsResponse? scripted = null;
        if (rejection is null && !_responses.TryDequeue(out scripted))
        {
            scripted = FakeAcsResponse.Accepted;
        }

        status = scripted?.Status ?? status;
        _requests.Enqueue(new FakeAcsRequest(context.Request.Method, rawTarget, headers, text, status, rejection));

        if (scripted?.Delay is { } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (rejection is not null)
        {
            await context.Response.WriteAsync(Error(status == 401 ? "Denied" : "InvalidRequest", rejection));
            return;
        }

        if (scripted!.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (status != 202)
        {
            await context.Response.WriteAsync(Error(status == 429 ? "TooManyRequests" : "ServiceError", "scripted failure"));
            return;
        }

        if (context.Request.Path.Value == "/sms")
        {
            await context.Response.WriteAsync(SmsAccepted(JsonDocument.Parse(body).RootElement, scripted.RecipientStatus));
            return;
        }

        if (CallRoute(context.Request.Method, context.Request.Path.Value ?? "", context.Request.Query["api-version"].ToString()) is { } route)
        {
            context.Response.StatusCode = route == "create" ? 201 : route == "hangup" ? 204 : 202;
            if (route == "create")
            {
                var callbackUri = JsonDocument.Parse(body).RootElement.GetProperty("callbackUri").GetString();
                // The call's id is its Repeatability-Request-ID, so a test knows which call its callbacks name.
                var callConnectionId = headers.TryGetValue("Repeatability-Request-ID", out var repeatability) ? repeatability : Guid.NewGuid().ToString("D");
                await context.Response.WriteAsync(JsonSerializer.Serialize(new { callConnectionId, callConnectionState = "connecting", callbackUri }));
            }

            return;
        }

        if (context.Request.Path.Value == "/messages/notifications:send")
        {
            var to = JsonDocument.Parse(body).RootElement.GetProperty("to")[0].GetString();
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { receipts = new[] { new { messageId = Guid.NewGuid().ToString("D"), to } } }));
            return;
        }

        var operationId = headers.TryGetValue("Operation-Id", out var id) ? id : Guid.NewGuid().ToString("D");
        context.Response.Headers["Operation-Location"] = $"{Endpoint}emails/operations/{operationId}?api-version={EmailApiVersion}";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { id = operationId, status = "Running" }));
    }

    private (int Status, string? Rejection) Check(HttpContext context, string rawTarget, byte[] body, string text)
    {
        if (Authenticate(context, rawTarget, body) is { } denied)
        {
            return (401, denied);
        }

        var path = context.Request.Path.Value ?? "";
        var apiVersion = context.Request.Query["api-version"].ToString();
        if (CallRoute(context.Request.Method, path, apiVersion) is { } call)
        {
            return CheckCall(call, context.Request.Headers, text);
        }

        if (context.Request.Method != "POST" || (path, apiVersion) is not (("/sms", SmsApiVersion) or ("/emails:send", EmailApiVersion) or ("/messages/notifications:send", MessagesApiVersion)))
        {
            return (404, $"no route for {context.Request.Method} {rawTarget}");
        }

        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return (415, "content type must be application/json");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var problem = path switch
            {
                "/sms" => CheckSms(document.RootElement),
                "/emails:send" => CheckEmail(document.RootElement, context.Request.Headers["Operation-Id"].ToString()),
                _ => CheckRepeatability(context.Request.Headers) ?? CheckWhatsAppTemplate(document.RootElement),
            };
            return problem is null ? (202, null) : (400, problem);
        }
        catch (JsonException)
        {
            return (400, "body is not JSON");
        }
    }

    private string? Authenticate(HttpContext context, string rawTarget, byte[] body)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (BearerToken is not null && authorization == $"Bearer {BearerToken}")
        {
            return null;
        }

        const string prefix = "HMAC-SHA256 SignedHeaders=";
        if (!authorization.StartsWith(prefix, StringComparison.Ordinal))
        {
            return "missing or unknown authorization scheme";
        }

        var parts = authorization[prefix.Length..].Split("&Signature=");
        if (parts is not [AcsHmacAuthenticationPolicy.SignedHeaders, var signature])
        {
            return "signed headers must be x-ms-date;host;x-ms-content-sha256";
        }

        var date = context.Request.Headers["x-ms-date"].ToString();
        if (!DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sentAt)
            || (sentAt - _clock.GetUtcNow()).Duration() > AllowedSkew)
        {
            return "x-ms-date is missing, malformed or more than 15 minutes off";
        }

        var contentHash = context.Request.Headers["x-ms-content-sha256"].ToString();
        if (contentHash != Convert.ToBase64String(SHA256.HashData(body)))
        {
            return "x-ms-content-sha256 does not match the body";
        }

        var expected = AcsHmacAuthenticationPolicy.ComputeSignature(
            AccessKey, $"{context.Request.Method}\n{rawTarget}\n{date};{context.Request.Host.Value};{contentHash}");
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : "signature mismatch";
    }

    private static string? CheckSms(JsonElement root)
    {
        if (Text(root, "from") is null || Text(root, "message") is null)
        {
            return "from and message are required";
        }

        if (!root.TryGetProperty("smsRecipients", out var recipients) || recipients.ValueKind != JsonValueKind.Array || recipients.GetArrayLength() is 0 or > 100)
        {
            return "smsRecipients must hold 1 to 100 recipients";
        }

        foreach (var recipient in recipients.EnumerateArray())
        {
            if (Text(recipient, "to") is not { } to || !to.StartsWith('+'))
            {
                return "each recipient needs an E.164 to";
            }

            var requestId = Text(recipient, "repeatabilityRequestId");
            var firstSent = Text(recipient, "repeatabilityFirstSent");
            if (requestId is not null && !Guid.TryParse(requestId, out _))
            {
                return "repeatabilityRequestId must be a GUID";
            }

            if (firstSent is not null && (requestId is null || !DateTimeOffset.TryParseExact(firstSent, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)))
            {
                return "repeatabilityFirstSent must be RFC 1123 and come with repeatabilityRequestId";
            }
        }

        return null;
    }

    private static string? CheckEmail(JsonElement root, string operationId)
    {
        if (operationId.Length > 0 && !Guid.TryParse(operationId, out _))
        {
            return "Operation-Id must be a GUID";
        }

        if (Text(root, "senderAddress") is null)
        {
            return "senderAddress is required";
        }

        if (!root.TryGetProperty("content", out var content) || Text(content, "subject") is null || (Text(content, "plainText") ?? Text(content, "html")) is null)
        {
            return "content needs a subject and plainText or html";
        }

        if (!root.TryGetProperty("recipients", out var recipients) || !recipients.TryGetProperty("to", out var to)
            || to.ValueKind != JsonValueKind.Array || to.GetArrayLength() == 0 || to.EnumerateArray().Any(r => Text(r, "address")?.Contains('@', StringComparison.Ordinal) != true))
        {
            return "recipients.to needs at least one address";
        }

        return null;
    }

    /// <summary>Which Call Automation operation a request is: create (POST /calling/callConnections), play (POST …/{id}:play), hangup (DELETE …/{id}).</summary>
    private static string? CallRoute(string method, string path, string apiVersion)
    {
        const string calls = "/calling/callConnections";
        if (apiVersion != CallAutomationApiVersion || !path.StartsWith(calls, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path[calls.Length..];
        return (method, rest) switch
        {
            ("POST", "") => "create",
            ("POST", _) when rest.StartsWith('/') && rest.EndsWith(":play", StringComparison.Ordinal) => "play",
            ("DELETE", _) when rest.StartsWith('/') && !rest.Contains(':', StringComparison.Ordinal) => "hangup",
            _ => null,
        };
    }

    /// <summary>CreateCallRequest (a phone number target, a caller id, an absolute callback) and PlayRequest (text sources).</summary>
    private static (int Status, string? Rejection) CheckCall(string route, IHeaderDictionary headers, string text)
    {
        if (route == "hangup")
        {
            return (204, null);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var problem = route == "create"
                ? CheckRepeatability(headers) ?? CheckCreateCall(root)
                : root.TryGetProperty("playSources", out var sources) && sources.ValueKind == JsonValueKind.Array && sources.GetArrayLength() > 0
                    && sources.EnumerateArray().All(p => Text(p, "kind") == "text" && p.TryGetProperty("text", out var t) && Text(t, "text") is { Length: > 0 })
                    ? null
                    : "playSources must hold text sources with text";
            return problem is null ? (route == "create" ? 201 : 202, null) : (400, problem);
        }
        catch (JsonException)
        {
            return (400, "body is not JSON");
        }
    }

    private static string? CheckCreateCall(JsonElement root)
    {
        if (!root.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Array || targets.GetArrayLength() != 1
            || Text(targets[0], "kind") != "phoneNumber" || !targets[0].TryGetProperty("phoneNumber", out var number) || Text(number, "value")?.StartsWith('+') != true)
        {
            return "targets must hold one phoneNumber target with an E.164 value";
        }

        if (!root.TryGetProperty("sourceCallerIdNumber", out var source) || Text(source, "value")?.StartsWith('+') != true)
        {
            return "sourceCallerIdNumber.value must be an E.164 number";
        }

        return Uri.TryCreate(Text(root, "callbackUri"), UriKind.Absolute, out _) ? null : "callbackUri must be an absolute URI";
    }

    /// <summary>Repeatability-Request-ID (a GUID) and Repeatability-First-Sent (RFC 1123), as Azure Core's repeatable requests define them.</summary>
    private static string? CheckRepeatability(IHeaderDictionary headers)
    {
        var requestId = headers["Repeatability-Request-ID"].ToString();
        var firstSent = headers["Repeatability-First-Sent"].ToString();
        if (requestId.Length > 0 && !Guid.TryParse(requestId, out _))
        {
            return "Repeatability-Request-ID must be a GUID";
        }

        return firstSent.Length > 0 && (requestId.Length == 0 || !DateTimeOffset.TryParseExact(firstSent, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            ? "Repeatability-First-Sent must be RFC 1123 and come with Repeatability-Request-ID"
            : null;
    }

    /// <summary>TemplateNotificationContent: a channel registration GUID, one recipient, a named template whose bindings refer to its values.</summary>
    private static string? CheckWhatsAppTemplate(JsonElement root)
    {
        if (!Guid.TryParse(Text(root, "channelRegistrationId"), out _))
        {
            return "channelRegistrationId must be a GUID";
        }

        if (!root.TryGetProperty("to", out var to) || to.ValueKind != JsonValueKind.Array || to.GetArrayLength() != 1 || to[0].ValueKind != JsonValueKind.String)
        {
            return "to must hold one recipient";
        }

        if (Text(root, "kind") != "template" || !root.TryGetProperty("template", out var template) || Text(template, "name") is null || Text(template, "language") is null)
        {
            return "kind template needs template.name and template.language";
        }

        var values = template.TryGetProperty("values", out var list) ? list.EnumerateArray().Select(v => (Name: Text(v, "name"), Kind: Text(v, "kind"), Text: Text(v, "text"))).ToList() : [];
        if (values.Any(v => v.Name is null || v.Kind != "text" || v.Text is null))
        {
            return "each template value needs a name, kind text and text";
        }

        if (!template.TryGetProperty("bindings", out var bindings) || Text(bindings, "kind") != "whatsApp")
        {
            return "bindings.kind must be whatsApp";
        }

        var references = BindingParts
            .Where(part => bindings.TryGetProperty(part, out _))
            .SelectMany(part => bindings.GetProperty(part).EnumerateArray())
            .ToList();
        if (references.Any(r => Text(r, "refValue") is not { } name || values.All(v => v.Name != name))
            || (bindings.TryGetProperty("buttons", out var buttons) && buttons.EnumerateArray().Any(b => Text(b, "subType") is not ("quickReply" or "url"))))
        {
            return "every binding must refer to a template value, and buttons need subType quickReply or url";
        }

        return null;
    }

    private static string SmsAccepted(JsonElement root, int? recipientStatus) =>
        JsonSerializer.Serialize(new
        {
            value = root.GetProperty("smsRecipients").EnumerateArray().Select(r => recipientStatus is { } failed
                ? new { to = Text(r, "to"), messageId = (string?)null, httpStatusCode = failed, successful = false, errorMessage = (string?)"Invalid To phone number format." }
                : new { to = Text(r, "to"), messageId = (string?)$"Outgoing_{Guid.NewGuid():N}_noam", httpStatusCode = 202, successful = true, errorMessage = (string?)null }),
        });

    private static string Error(string code, string message) => JsonSerializer.Serialize(new { error = new { code, message } });

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
