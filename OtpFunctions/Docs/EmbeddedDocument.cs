using Microsoft.AspNetCore.Mvc;

namespace OtpFunctions.Docs;

/// <summary>
/// An embedded file written straight to the response, read once per process. Like ApiResult it needs no
/// MVC services, so the Functions host and the local host serve it the same way.
/// </summary>
public sealed class EmbeddedDocument : IActionResult
{
    // The demo's script and style are inline and it only calls this origin's API. Its import map points the
    // client's package name at the bundled client as a data: URL (no route of its own); inline script is allowed
    // already, so data: scripts add nothing an injection could not do.
    private const string DemoPolicy = "default-src 'none'; script-src 'unsafe-inline' data:; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly byte[] content;
    private readonly string contentType;
    private readonly string? securityPolicy;

    private EmbeddedDocument(byte[] content, string contentType, string? securityPolicy)
    {
        this.content = content;
        this.contentType = contentType;
        this.securityPolicy = securityPolicy;
    }

    /// <summary>
    /// openapi.json with the code schema narrowed to this deployment's <c>Otp:CodeLength</c>: the file states the
    /// bounds every deployment may choose, a served document what this one accepts, so clients generated from it
    /// check the length before they call.
    /// </summary>
    public static EmbeddedDocument OpenApi(int codeLength) => OpenApiByCodeLength.GetOrAdd(codeLength, NarrowedOpenApi);

    // Function classes are created per invocation: the document is built once per code length.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, EmbeddedDocument> OpenApiByCodeLength = new();

    private static EmbeddedDocument NarrowedOpenApi(int codeLength)
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(Read("openapi.json"))!;
        var code = document["components"]!["schemas"]!["VerifyRequest"]!["properties"]!["code"]!;
        code["minLength"] = codeLength;
        code["maxLength"] = codeLength;
        code["description"] = $"All digits, exactly {codeLength} of them (Otp:CodeLength on this deployment).";
        code["example"] = new string('1', codeLength);
        var options = new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return new(System.Text.Encoding.UTF8.GetBytes(document.ToJsonString(options)), "application/json; charset=utf-8", null);
    }

    /// <summary>
    /// The demo page, with the bot check's widget when a site key is configured: the provider and site key
    /// go into a meta tag the page's script reads, and the policy admits the provider's script and frames.
    /// The configured <paramref name="channels"/> (wire names; SMS and email when not given) go into another, so the
    /// page offers only those, and "call me instead" only with voice.
    /// </summary>
    public static EmbeddedDocument Demo(Callers.BotCheckOptions botCheck, IEnumerable<string>? channels = null)
    {
        var page = System.Text.Encoding.UTF8.GetString(Read("demo.html"))
            .Replace("data:text/javascript;base64,CLIENT", "data:text/javascript;base64," + Convert.ToBase64String(Read("otp-client.js")), StringComparison.Ordinal)
            .Replace("<meta name=\"otp-channels\" content=\"sms,email\">", $"<meta name=\"otp-channels\" content=\"{System.Net.WebUtility.HtmlEncode(string.Join(',', channels ?? ["sms", "email"]))}\">", StringComparison.Ordinal);
        var widget = botCheck.Enabled && !string.IsNullOrWhiteSpace(botCheck.SiteKey) ? botCheck.Provider : Callers.BotCheckProvider.None;
        if (widget == Callers.BotCheckProvider.None)
        {
            return new(System.Text.Encoding.UTF8.GetBytes(page), "text/html; charset=utf-8", DemoPolicy);
        }

        var meta = $"<meta name=\"otp-bot-check\" content=\"{System.Net.WebUtility.HtmlEncode(widget.ToString())}\" data-site-key=\"{System.Net.WebUtility.HtmlEncode(botCheck.SiteKey)}\" data-action=\"{System.Net.WebUtility.HtmlEncode(botCheck.Action)}\">";
        page = page.Replace("<meta name=\"otp-bot-check\" content=\"None\">", meta, StringComparison.Ordinal);
        var origins = widget switch
        {
            Callers.BotCheckProvider.Turnstile => "https://challenges.cloudflare.com",
            Callers.BotCheckProvider.HCaptcha => "https://hcaptcha.com https://*.hcaptcha.com",
            _ => "https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/ https://recaptcha.google.com/recaptcha/",
        };
        var policy = DemoPolicy
            .Replace("script-src 'unsafe-inline'", $"script-src 'unsafe-inline' {origins}", StringComparison.Ordinal)
            .Replace("style-src 'unsafe-inline'", $"style-src 'unsafe-inline' {origins}", StringComparison.Ordinal)
            .Replace("connect-src 'self'", $"connect-src 'self' {origins}", StringComparison.Ordinal)
            .Replace("img-src data:", $"img-src data: {origins}; frame-src {origins}", StringComparison.Ordinal);
        return new(System.Text.Encoding.UTF8.GetBytes(page), "text/html; charset=utf-8", policy);
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(EmbeddedDocument).Assembly.GetManifestResourceStream("OtpDocs/" + resource)
            ?? throw new InvalidOperationException($"Embedded resource OtpDocs/{resource} is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = 200;
        response.ContentType = contentType;
        response.ContentLength = content.Length;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        if (securityPolicy is not null)
        {
            response.Headers.ContentSecurityPolicy = securityPolicy;
        }

        await response.Body.WriteAsync(content, context.HttpContext.RequestAborted);
    }
}
