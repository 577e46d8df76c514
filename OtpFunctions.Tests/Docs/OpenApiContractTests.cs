using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OtpFunctions.LocalHost;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Docs;

/// <summary>
/// The served OpenAPI document against the real routes, both ways: every documented operation answers a
/// representative request with a documented status and shape, and every HTTP function is documented.
/// </summary>
public sealed class OpenApiContractTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    private OtpHost Host => fixture.Host;

    private static FunctionCatalog Catalog => FunctionCatalog.Discover(typeof(OtpServiceCollectionExtensions).Assembly);

    [Fact]
    public async Task ReturnsDocumentedStatusGivenRepresentativeRequestForEveryOperation()
    {
        using var document = await FetchDocumentAsync();
        var served = Catalog.Http.Select(f => f.Function.Name).ToHashSet();
        var operations = Operations(document.RootElement).ToList();
        Assert.NotEmpty(operations);

        foreach (var (path, method, operation) in operations)
        {
            // No operation is skipped: one documented but not served is a broken contract.
            var operationId = operation.GetProperty("operationId").GetString()!;
            Assert.True(served.Contains(operationId), $"{method.ToUpperInvariant()} {path} is documented as {operationId}, which no HTTP function serves");

            using var request = await RepresentativeRequestAsync(path, method);
            using var response = await Host.Client.SendAsync(request);
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var text = await response.Content.ReadAsStringAsync();
            var where = $"{method.ToUpperInvariant()} {path} answered {status}: {text}";

            Assert.True(operation.GetProperty("responses").TryGetProperty(status, out var documented), $"undocumented status: {where}");
            Assert.NotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                // A 404 from routing has no body; the API's own 404 is an error body.
                Assert.Contains("\"not_found\"", text, StringComparison.Ordinal);
            }

            AssertMatchesDocumentedContent(document.RootElement, Resolve(document.RootElement, documented), response, text, where);
        }
    }

    [Fact]
    public async Task DocumentsEveryHttpFunctionRouteAndMethod()
    {
        using var document = await FetchDocumentAsync();
        var paths = document.RootElement.GetProperty("paths");

        foreach (var (function, trigger) in Catalog.Http)
        {
            var path = "/" + (trigger.Route ?? function.Name);
            Assert.True(paths.TryGetProperty(path, out var item), $"{function.Name}: {path} is not in openapi.json");
            foreach (var method in trigger.Methods ?? [])
            {
                Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{function.Name}: {method.ToUpperInvariant()} {path} is not in openapi.json");
                Assert.Equal(function.Name, operation.GetProperty("operationId").GetString());
            }
        }
    }

    [Fact]
    public async Task DeclaresSecurityOnEveryOperationAndTheCallerAnswersOfSends()
    {
        using var document = await FetchDocumentAsync();
        var root = document.RootElement;
        var schemes = root.At("components", "securitySchemes");
        Assert.Equal("X-Api-Key", schemes.At("apiKey", "name").GetString());
        Assert.Equal("X-Bot-Token", schemes.At("botToken", "name").GetString());
        Assert.Contains("bot_check_failed", root.At("components", "schemas", "Error", "properties", "error", "enum").EnumerateArray().Select(e => e.GetString()));

        foreach (var (path, method, operation) in Operations(root))
        {
            // Every operation says how it is authorized; security: [] marks the anonymous ones.
            Assert.True(operation.TryGetProperty("security", out var security), $"{method.ToUpperInvariant()} {path} declares no security");
            foreach (var scheme in security.EnumerateArray().SelectMany(requirement => requirement.EnumerateObject()))
            {
                Assert.True(schemes.TryGetProperty(scheme.Name, out _), $"{method.ToUpperInvariant()} {path} names an undefined scheme {scheme.Name}");
            }
        }

        foreach (var path in new[] { "/otp", "/otp/{id}/resend" })
        {
            var operation = root.GetProperty("paths").GetProperty(path).GetProperty("post");
            var names = operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList();
            Assert.Equal(["apiKey", "botToken"], names);
            foreach (var status in new[] { "401", "403", "503" })
            {
                Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), $"POST {path} does not document {status}");
            }
        }
    }

    [Fact]
    public async Task DocumentsUnsupportedMediaTypeOnTheRoutesThatTakeAJsonBody()
    {
        using var document = await FetchDocumentAsync();
        var root = document.RootElement;
        Assert.Contains("unsupported_media_type", root.At("components", "schemas", "Error", "properties", "error", "enum").EnumerateArray().Select(e => e.GetString()));

        foreach (var path in new[] { "/otp", "/otp/{id}/resend", "/otp/{id}/verify" })
        {
            Assert.True(root.At("paths", path, "post", "responses").TryGetProperty("415", out _), $"POST {path} does not document 415");
        }
    }

    [Fact]
    public async Task ServesDemoPageGivenGet()
    {
        using var response = await Host.Client.GetAsync("demo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"send-form\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private async Task<JsonDocument> FetchDocumentAsync()
    {
        using var response = await Host.Client.GetAsync("openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        return document;
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement root) =>
        root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)).Select(m => (path.Name, m.Name, m.Value)));

    /// <summary>A request that should succeed where a fresh challenge or session makes that possible.</summary>
    private async Task<HttpRequestMessage> RepresentativeRequestAsync(string path, string method)
    {
        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), "");
        if (path.Contains("{id}", StringComparison.Ordinal))
        {
            path = path.Replace("{id}", await Host.SendAsync(Destinations.Phone()), StringComparison.Ordinal);
        }

        // No prefix is blocked in a fresh table: the lift answers its documented 404 error body.
        path = path.Replace("{prefix}", "%2B234803", StringComparison.Ordinal);
        request.RequestUri = new Uri(path.TrimStart('/'), UriKind.Relative);
        request.Content = (method, path) switch
        {
            ("post", "/otp") => JsonContent.Create(new { channel = "sms", to = Destinations.Phone() }),
            ("post", _) when path.EndsWith("/verify", StringComparison.Ordinal) => JsonContent.Create(new { code = "000000" }),
            ("post", "/events/delivery") => new StringContent(
                """[{"id":"1","topic":"","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-11-25T10:00:00Z","dataVersion":"1","data":{"validationCode":"contract-test"}}]""",
                Encoding.UTF8,
                "application/json"),
            _ => null,
        };
        if (path == "/events/delivery")
        {
            request.Headers.Add("aeg-event-type", "SubscriptionValidation");
        }

        if (path == "/session")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await VerifiedTokenAsync());
        }

        return request;
    }

    private async Task<string> VerifiedTokenAsync()
    {
        var id = await Host.SendAsync(Destinations.Email(), channel: "email");
        var code = await Host.Delivery.WaitForCodeAsync(id);
        using var verified = await Host.VerifyAsync(id, code);
        var body = await verified.Content.ReadFromJsonAsync<JsonElement>();
        return body.At("session", "token").GetString()!;
    }

    private static void AssertMatchesDocumentedContent(JsonElement root, JsonElement documented, HttpResponseMessage response, string text, string where)
    {
        if (!documented.TryGetProperty("content", out var content))
        {
            Assert.True(text.Length == 0, $"documented without a body: {where}");
            return;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        Assert.True(content.TryGetProperty(mediaType, out var media), $"undocumented content type {mediaType}: {where}");
        if (mediaType != "application/json")
        {
            return;
        }

        // The whole body against the whole schema (types, enums, required fields, nullability, formats), as a validator or a
        // generated client would read it.
        var errors = OpenApiSchema.Errors(root, media.GetProperty("schema"), text);
        Assert.True(errors.Count == 0, $"answer off its schema ({string.Join("; ", errors)}): {where}");

        if (documented.TryGetProperty("headers", out var headers) && headers.TryGetProperty("Retry-After", out _))
        {
            Assert.True(response.Headers.RetryAfter is not null, $"missing documented Retry-After: {where}");
        }
    }

    private static JsonElement Resolve(JsonElement root, JsonElement element)
    {
        while (element.TryGetProperty("$ref", out var reference))
        {
            element = reference.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate(root, (node, segment) => node.GetProperty(segment));
        }

        return element;
    }
}
