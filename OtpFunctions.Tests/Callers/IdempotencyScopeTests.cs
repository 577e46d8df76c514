using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using OtpFunctions.Security;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Callers;

/// <summary>An Idempotency-Key belongs to its caller, is stored only as a keyed hash, and must be unguessable.</summary>
public sealed class IdempotencyScopeTests : IAsyncLifetime
{
    private const string ApiKey = "idempotency-tests-backend-key";
    private OtpHost host = null!;

    public async Task InitializeAsync() => host = await OtpHost.StartAsync(new Dictionary<string, string?>
    {
        ["Otp:ApiKeys:backend:Sha256"] = ServerCallerTests.Sha256Hex(ApiKey),
    });

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task ReplaysOnlyForTheCallerThatChoseTheKey()
    {
        var key = Guid.NewGuid().ToString();
        var to = Destinations.Phone();
        var ip = Destinations.Ip();

        var first = await SendAsync(to, key, clientIp: ip);
        var replay = await SendAsync(to, key, clientIp: ip);
        var otherAddress = await SendAsync(to, key, clientIp: "198.51.100.77");
        var server = await SendAsync(to, key, clientIp: ip, apiKey: ApiKey);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(first.Id, replay.Id);
        // Another caller with the same key and body is a new send, not the first caller's answer.
        Assert.Equal(HttpStatusCode.Accepted, otherAddress.Status);
        Assert.NotEqual(first.Id, otherAddress.Id);
        Assert.Equal(HttpStatusCode.Accepted, server.Status);
        Assert.NotEqual(first.Id, server.Id);
        Assert.NotEqual(otherAddress.Id, server.Id);
    }

    [Fact]
    public async Task StoresTheKeyOnlyAsAKeyedHash()
    {
        var key = Guid.NewGuid().ToString();
        var sent = await SendAsync(Destinations.Phone(), key, clientIp: Destinations.Ip());
        Assert.Equal(HttpStatusCode.Accepted, sent.Status);

        var unkeyed = Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var rows = new List<TableEntity>();
        await foreach (var row in host.Storage.Table.QueryAsync<TableEntity>(filter: "PartitionKey ge 'idem-' and PartitionKey lt 'idem.'"))
        {
            rows.Add(row);
        }

        Assert.NotEmpty(rows);
        Assert.All(rows, row =>
        {
            Assert.DoesNotContain(key, row.PartitionKey, StringComparison.Ordinal);
            Assert.NotEqual("idem-" + unkeyed, row.PartitionKey);
        });
    }

    [Theory]
    [InlineData("1")]
    [InlineData("retry")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("order-12345-order-12345")]
    [InlineData("has spaces but is quite long enough")]
    public async Task RefusesKeyThatIsNotHighEntropy(string key)
    {
        var refused = await SendAsync(Destinations.Phone(), key, clientIp: Destinations.Ip());

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("Idempotency-Key", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("01J9ZQ4XKX8W3V5N7R2T6Y0BCD")]
    [InlineData("Kq3vX9_-aZ81bLw0pT5rYe")]
    public async Task AcceptsUuidsAndSimilarRandomKeys(string key)
    {
        var accepted = await SendAsync(Destinations.Phone(), key, clientIp: Destinations.Ip());

        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
    }

    private async Task<(HttpStatusCode Status, string? Id, string? Message)> SendAsync(string to, string key, string clientIp, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "otp") { Content = JsonContent.Create(new { channel = "sms", to }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        request.Headers.Add("X-Forwarded-For", clientIp);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        using var response = await host.Client.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode,
            body.TryGetProperty("id", out var id) ? id.GetString() : null,
            body.TryGetProperty("message", out var message) ? message.GetString() : null);
    }
}
