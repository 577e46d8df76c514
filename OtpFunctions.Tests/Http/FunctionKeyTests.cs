using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.LocalHost;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Http;

/// <summary>The local host guards Function-level routes as the real host does (see RealHost/RealHostTests).</summary>
public sealed class FunctionKeyTests
{
    private const string Handshake = """[{"id":"1","topic":"t","subject":"s","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-11-26T00:00:00Z","dataVersion":"1","data":{"validationCode":"local-check"}}]""";

    [Fact]
    public async Task RequiresKeyOnDeliveryEventsGivenHostKeyConfigured()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?> { [FunctionKeys.Setting] = "local-key" });

        using var missing = await PostHandshakeAsync(host, "events/delivery", null);
        using var wrong = await PostHandshakeAsync(host, "events/delivery", "other-key");
        using var header = await PostHandshakeAsync(host, "events/delivery", "local-key");
        using var query = await PostHandshakeAsync(host, "events/delivery?code=local-key", null);
        using var anonymous = await host.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
        Assert.Equal("local-check", (await header.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("validationResponse").GetString());
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:7071")]
    [InlineData("http://*:7071")]
    [InlineData("http://192.0.2.10:7071")]
    public void RefusesToStartBeyondLoopbackGivenNoHostKey(string url)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new FunctionKeys(null).EnsureSafe([url], ["DeliveryEvents"]));

        Assert.Contains(FunctionKeys.Setting, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7071")]
    [InlineData("http://localhost:7071")]
    [InlineData("http://[::1]:7071")]
    public void StartsOnLoopbackGivenNoHostKey(string url) => new FunctionKeys(null).EnsureSafe([url], ["DeliveryEvents"]);

    [Theory]
    [InlineData("Kestrel:Endpoints:public:Url", "http://0.0.0.0:0")]
    [InlineData("Kestrel:Endpoints:public:Url", "http://*:0")]
    [InlineData("http_ports", "0")]
    public async Task RefusesToStartGivenAKestrelEndpointOrPortBeyondLoopback(string key, string value)
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => OtpHost.StartAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(FunctionKeys.Setting, exception.Message, StringComparison.Ordinal);
        Assert.Contains("beyond loopback", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartsGivenAKestrelEndpointOnLoopback()
    {
        // Positive control for the refusal above: the endpoint is read, and loopback is fine.
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?> { ["Kestrel:Endpoints:local:Url"] = "http://127.0.0.1:0" });

        var configuration = host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        Assert.Equal(["http://127.0.0.1:0", "http://127.0.0.1:0"], LocalFunctionsHost.ListenUrls(configuration));
    }

    [Fact]
    public void StartsBeyondLoopbackGivenHostKey() => new FunctionKeys("key").EnsureSafe(["http://0.0.0.0:7071"], ["DeliveryEvents"]);

    private static Task<HttpResponseMessage> PostHandshakeAsync(OtpHost host, string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(Handshake, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("aeg-event-type", "SubscriptionValidation");
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        return host.Client.SendAsync(request);
    }
}
