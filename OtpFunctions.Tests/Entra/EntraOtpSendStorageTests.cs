using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Entra;

/// <summary>
/// What Entra's code becomes on our side: sealed on the queue and hashed in the table like our own codes, and
/// never a "continue" answer unless it is safely queued (Entra then shows its error or falls back to its own email).
/// </summary>
public sealed class EntraOtpSendStorageTests : IAsyncLifetime
{
    private readonly FakeEntraTenant tenant = new();

    public Task InitializeAsync() => tenant.StartAsync();

    public async Task DisposeAsync() => await tenant.DisposeAsync();

    [Fact]
    public async Task KeepsCodeAndAddressOutOfQueueAndTableInPlaintext()
    {
        await using var host = await OtpHost.StartAsync(Settings(), listenToQueue: false);
        const string code = "73915062";
        var email = Destinations.Email();

        using var response = await PostAsync(host, tenant.Event(email, code));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var messages = (await host.Storage.Queue.PeekMessagesAsync(32)).Value;
        var message = Assert.Single(messages).MessageText;
        Assert.DoesNotContain(code, message, StringComparison.Ordinal);
        Assert.DoesNotContain(email, message, StringComparison.OrdinalIgnoreCase);

        var rows = await host.Storage.Table.QueryAsync<TableEntity>().ToListAsync();
        Assert.Contains(rows, row => row.GetBoolean("Relayed") == true);
        foreach (var value in rows.SelectMany(row => row.Select(pair => pair.Value)).OfType<string>())
        {
            Assert.DoesNotContain(code, value, StringComparison.Ordinal);
            Assert.DoesNotContain(email, value, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task AnswersServiceUnavailableNotContinueGivenTheCodeCannotBeQueued()
    {
        var port = Loopback.FreePort();
        var deadStorage = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1";
        var settings = Settings();
        settings["OtpStorage"] = deadStorage;
        await using var host = await OtpHost.StartAsync(settings, waitForStorage: false);

        using var response = await PostAsync(host, tenant.Event(Destinations.Email(), "12121212"));
        var body = await response.Content.ReadAsStringAsync();

        // Any answer but 200 with the documented actions is an error to Entra: by default it sends no code, and with
        // behaviorOnError fallbackToMicrosoftProviderOnError it sends its own email instead.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unavailable", Contract.Parse<ErrorAnswer>(body).Error);
        Assert.DoesNotContain("continueWithDefaultBehavior", body, StringComparison.Ordinal);
        Assert.Empty(host.Delivery.Requests);
    }

    [Fact]
    public async Task ReadsTenantKeysOnceAndRefreshesThemWhenEntraRollsItsKeys()
    {
        // A host of its own: a refresh is allowed once per interval, and other tests' unknown keys would spend it.
        await using var host = await OtpHost.StartAsync(Settings());
        using (var first = await PostAsync(host, tenant.Event(Destinations.Email(), "10203040")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var keyReads = tenant.KeyReads;
        for (var i = 0; i < 3; i++)
        {
            using var response = await PostAsync(host, tenant.Event(Destinations.Email(), "10203040"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(keyReads, tenant.KeyReads);

        tenant.RollKeys();
        using var rolled = await PostAsync(host, tenant.Event(Destinations.Email(), "50607080"));

        Assert.Equal(HttpStatusCode.OK, rolled.StatusCode);
        Assert.True(tenant.KeyReads > keyReads, "a token signed with a new key must trigger a key refresh");
    }

    [Fact]
    public async Task AnswersServiceUnavailableAndQueuesNothingGivenEmailChannelNotConfigured()
    {
        var settings = Settings();
        settings["Otp:Delivery:Email:Provider"] = "None";
        await using var host = await OtpHost.StartAsync(settings, captureDelivery: false);

        using var response = await PostAsync(host, tenant.Event(Destinations.Email(), "78787878"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("continueWithDefaultBehavior", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await host.Storage.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task AnswersTooManyRequestsAndQueuesNothingGivenTheEmailBudgetIsSpent()
    {
        // Entra's emails use the provider's quota as ours do: once the window's budget is spent, an error (429) lets
        // Entra fall back to its own email instead of a "continue" for an email that would never leave.
        var settings = Settings();
        settings["Otp:Email:MaxSendsGlobal"] = "2";
        // The clock stands still: budget windows are aligned to the hour, and one ending mid-test would refill the budget.
        await using var host = await OtpHost.StartAsync(settings, fakeClock: true, listenToQueue: false);
        for (var i = 0; i < 2; i++)
        {
            using var admitted = await PostAsync(host, tenant.Event(Destinations.Email(), "24242424"));
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        using var response = await PostAsync(host, tenant.Event(Destinations.Email(), "24242424"));

        var body = await response.Content.ReadAsStringAsync();
        await Contract.AssertErrorAsync(response, (HttpStatusCode)429, "rate_limited");
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain("continueWithDefaultBehavior", body, StringComparison.Ordinal);
        Assert.Equal(2, (await host.Storage.Queue.PeekMessagesAsync(32)).Value.Length);
    }

    [Fact]
    public async Task AnswersServiceUnavailableGivenTheTenantMetadataCannotBeRead()
    {
        var settings = Settings();
        settings["Otp:Entra:Authority"] = $"http://127.0.0.1:{Loopback.FreePort()}/{tenant.TenantId}/v2.0";
        await using var host = await OtpHost.StartAsync(settings);

        using var response = await PostAsync(host, tenant.Event(Destinations.Email(), "34343434"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task AnswersNotFoundGivenEntraIsNotConfigured()
    {
        await using var host = await OtpHost.StartAsync();

        using var response = await PostAsync(host, tenant.Event(Destinations.Email(), "56565656"));

        await Contract.AssertErrorAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("Otp:Entra:Audience", null, "Otp:Entra:Audience")]
    [InlineData("Otp:Entra:Authority", null, "Otp:Entra:Authority")]
    [InlineData("Otp:Entra:Authority", "http://login.example.com/tenant/v2.0", "https")]
    [InlineData("Otp:Entra:Authority", "ftp://127.0.0.1/tenant/v2.0", "https")]
    public async Task RefusesToStartGivenHalfOrUnsafeConfiguration(string key, string? value, string named)
    {
        var settings = Settings();
        settings[key] = value;

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => OtpHost.StartAsync(settings));

        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Otp:Entra:Authority"] = tenant.Authority,
        ["Otp:Entra:Audience"] = FakeEntraTenant.ExtensionAppId,
    };

    private async Task<HttpResponseMessage> PostAsync(OtpHost host, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "entra/otp-send") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Token());
        return await host.Client.SendAsync(request);
    }
}
