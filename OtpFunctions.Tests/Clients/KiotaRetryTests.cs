using System.Net;
using System.Net.Http.Json;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Clients;

/// <summary>
/// Kiota-generated clients send through Kiota's default handlers, whose RetryHandler waits out a 429's Retry-After and
/// resends: a resend after the cooldown supersedes the code the user holds. docs/clients.md builds the client with
/// <c>RetryHandlerOption { MaxRetry = 0 }</c>; this proves both the harm and the recipe on the real routes.
/// </summary>
public sealed class KiotaRetryTests
{
    [Fact]
    public async Task ReturnsRateLimitedOnceGivenDocumentedRetryOption()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:ResendCooldown"] = "00:00:01" }, fakeClock: true, listenToQueue: false);
        var counter = new CountingHandler();
        using var client = KiotaClient(host, counter, new RetryHandlerOption { MaxRetry = 0 });
        var id = await SendAsync(client);

        using var resend = await client.PostAsync($"otp/{id}/resend", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, resend.StatusCode);
        Assert.NotNull(resend.Headers.RetryAfter);
        Assert.Equal(1, counter.Count($"/api/otp/{id}/resend"));
    }

    [Fact]
    public async Task ResendsBehindTheCallersBackGivenKiotaDefaults()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:ResendCooldown"] = "00:00:01" }, fakeClock: true, listenToQueue: false);
        var counter = new CountingHandler();
        using var client = KiotaClient(host, counter);
        var id = await SendAsync(client);

        // The server's clock stands still, so every resend meets the cooldown: Kiota sent it again after each 429 by itself,
        // and had the cooldown passed, one of those would have sent the user a code they never asked for.
        await Assert.ThrowsAsync<AggregateException>(() => client.PostAsync($"otp/{id}/resend", null));
        Assert.Equal(4, counter.Count($"/api/otp/{id}/resend"));
    }

    private static HttpClient KiotaClient(OtpHost host, CountingHandler counter, params RetryHandlerOption[] options)
    {
        var handlers = KiotaClientFactory.CreateDefaultHandlers([.. options]);
        handlers.Add(counter);
        var client = KiotaClientFactory.Create(handlers, new SocketsHttpHandler());
        client.BaseAddress = host.Client.BaseAddress;
        return client;
    }

    private static async Task<string> SendAsync(HttpClient client)
    {
        using var sent = await client.PostAsJsonAsync("otp", new { channel = "sms", to = Destinations.Phone() });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        return (await sent.Content.ReadFromJsonAsync<SendAnswer>())!.Id;
    }

    /// <summary>Counts the requests that left the handler chain, by path.</summary>
    private sealed class CountingHandler : DelegatingHandler
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> paths = new();

        public int Count(string path) => paths.Count(p => p == path);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            paths.Enqueue(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
