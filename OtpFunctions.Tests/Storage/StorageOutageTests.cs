using System.Net;
using System.Net.Http.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Storage;

/// <summary>With storage unreachable, every route answers 503 with Retry-After, quickly, never 500.</summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    private OtpHost host = null!;

    public async Task InitializeAsync()
    {
        var port = Loopback.FreePort();
        var deadStorage = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1";
        host = await OtpHost.StartAsync(new Dictionary<string, string?> { ["OtpStorage"] = deadStorage }, waitForStorage: false);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task ReturnsUnavailableFromHealth()
    {
        using var response = await host.Client.GetAsync("health");

        Assert.Equal("unavailable", (await Contract.ReadAsync<HealthAnswer>(response, HttpStatusCode.ServiceUnavailable)).Status);
    }

    [Fact]
    public async Task ReturnsServiceUnavailableWithRetryAfterFromEveryRoute()
    {
        var id = new string('A', 44);
        var started = DateTime.UtcNow;
        var responses = new[]
        {
            await host.Client.PostAsJsonAsync("otp", new { channel = "sms", to = "+14155550100" }),
            await host.Client.PostAsync($"otp/{id}/resend", null),
            await host.Client.PostAsJsonAsync($"otp/{id}/verify", new { code = "123456" }),
            await host.Client.GetAsync($"otp/{id}"),
            await host.Client.DeleteAsync($"otp/{id}"),
        };

        foreach (var response in responses)
        {
            var error = await Contract.AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "unavailable");
            Assert.Equal(error.RetryAfter, (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "outage answers must not hang");
    }
}
