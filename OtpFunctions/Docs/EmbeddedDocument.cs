using Microsoft.AspNetCore.Mvc;

namespace OtpFunctions.Docs;

/// <summary>
/// An embedded file written straight to the response, read once per process. Like ApiResult it needs no
/// MVC services, so the Functions host and the local host serve it the same way.
/// </summary>
public sealed class EmbeddedDocument : IActionResult
{
    // The demo's script and style are inline and it only calls this origin's API.
    private const string DemoPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly byte[] content;
    private readonly string contentType;
    private readonly string? securityPolicy;

    private EmbeddedDocument(string resource, string contentType, string? securityPolicy)
    {
        using var stream = typeof(EmbeddedDocument).Assembly.GetManifestResourceStream("OtpDocs/" + resource)
            ?? throw new InvalidOperationException($"Embedded resource OtpDocs/{resource} is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        content = buffer.ToArray();
        this.contentType = contentType;
        this.securityPolicy = securityPolicy;
    }

    public static EmbeddedDocument OpenApi { get; } = new("openapi.json", "application/json; charset=utf-8", null);

    public static EmbeddedDocument Demo { get; } = new("demo.html", "text/html; charset=utf-8", DemoPolicy);

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
