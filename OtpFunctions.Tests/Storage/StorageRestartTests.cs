using System.Net;
using System.Net.Http.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Storage;

/// <summary>Storage goes away mid-run and comes back: 503s in between, nothing half-done, then business as usual.</summary>
public sealed class StorageRestartTests : IAsyncLifetime
{
    private PrivateAzurite azurite = null!;
    private OtpHost host = null!;

    public async Task InitializeAsync()
    {
        azurite = new PrivateAzurite();
        await azurite.StartAsync();
        host = await OtpHost.StartAsync(new Dictionary<string, string?> { ["OtpStorage"] = azurite.ConnectionString });
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await azurite.DisposeAsync();
    }

    [Fact]
    public async Task AnswersUnavailableWhileStorageIsDownAndResumesAfter()
    {
        var id = await host.SendAsync(Destinations.Phone());
        var code = await host.Delivery.WaitForCodeAsync(id);
        var wrong = Contract.WrongCode(code);
        (await host.VerifyAsync(id, wrong)).Dispose();

        await azurite.StopAsync();
        var during = new[]
        {
            await host.Client.PostAsJsonAsync("otp", new { channel = "sms", to = Destinations.Phone() }),
            await host.VerifyAsync(id, wrong),
            await host.VerifyAsync(id, code),
            await host.Client.GetAsync($"otp/{id}"),
            await host.Client.GetAsync("health"),
        };

        await azurite.StartAsync();
        var attemptsLeft = (await host.StatusAsync(id)).AttemptsLeft;
        using var verify = await host.VerifyAsync(id, code);
        using var health = await host.Client.GetAsync("health");

        Assert.All(during, response =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.Contains("Retry-After"));
        });
        // Only the wrong code made before the outage counts; the refused ones changed nothing.
        Assert.Equal(4, attemptsLeft);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
