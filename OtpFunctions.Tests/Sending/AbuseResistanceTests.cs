using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sending;

/// <summary>The limits that defend against SMS pumping, guessing across challenges and enumeration.</summary>
public sealed class AbuseResistanceTests : IAsyncLifetime
{
    private OtpHost host = null!;

    // The clock stands still: budget windows are aligned to the hour, and one ending mid-test would refill the budget.
    public async Task InitializeAsync() => host = await OtpHost.StartAsync(new Dictionary<string, string?>
    {
        ["Otp:Sms:AllowedCountryCodes:0"] = "1",
        ["Otp:Sms:AllowedCountryCodes:1"] = "44",
        ["Otp:Sms:MaxSendsPerCountryCode"] = "4",
        ["Otp:MaxFailuresPerDestination"] = "7",
        ["Host:CORS"] = "https://app.example",
    }, fakeClock: true);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task RefusesSmsToCountryNotEnabled()
    {
        using var response = await host.Client.PostAsJsonAsync("otp", new { channel = "sms", to = "+33612345678" });

        var error = await Contract.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("+33", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpendsTheCountryBudgetThenRefuses()
    {
        for (var i = 0; i < 4; i++)
        {
            await host.SendAsync($"+4479111234{i:D2}");
        }

        using var refused = await host.Client.PostAsJsonAsync("otp", new { channel = "sms", to = "+447911123499" });
        using var otherCountry = await host.Client.PostAsJsonAsync("otp", new { channel = "sms", to = Destinations.Phone() });
        using var email = await host.Client.PostAsJsonAsync("otp", new { channel = "email", to = Destinations.Email() });

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.Accepted, otherCountry.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, email.StatusCode);
    }

    [Fact]
    public async Task BlocksDestinationAfterTooManyWrongCodesAcrossChallenges()
    {
        var to = Destinations.Email();
        var first = await host.SendAsync(to, channel: "email");
        var firstCode = await host.Delivery.WaitForCodeAsync(first);
        for (var i = 0; i < 5; i++)
        {
            (await host.VerifyAsync(first, Contract.WrongCode(firstCode))).Dispose();
        }

        var second = await host.SendAsync(to, channel: "email");
        var secondCode = await host.Delivery.WaitForCodeAsync(second);
        (await host.VerifyAsync(second, Contract.WrongCode(secondCode))).Dispose();
        (await host.VerifyAsync(second, Contract.WrongCode(secondCode))).Dispose();

        // Seven wrong codes for this destination: even the right code is refused now, and no new one is sent.
        using var right = await host.VerifyAsync(second, secondCode);
        using var again = await host.Client.PostAsJsonAsync("otp", new { channel = "email", to });

        Assert.Equal((HttpStatusCode)423, right.StatusCode);
        Assert.Equal((HttpStatusCode)429, again.StatusCode);
        Assert.InRange(int.Parse(again.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 86_000, 86_400);
    }

    [Fact]
    public async Task ClearsWrongCodeCountAfterCorrectCode()
    {
        var to = Destinations.Email();
        var first = await host.SendAsync(to, channel: "email");
        var firstCode = await host.Delivery.WaitForCodeAsync(first);
        for (var i = 0; i < 4; i++)
        {
            (await host.VerifyAsync(first, Contract.WrongCode(firstCode))).Dispose();
        }

        (await host.VerifyAsync(first, firstCode)).Dispose();
        var second = await host.SendAsync(to, channel: "email");
        var secondCode = await host.Delivery.WaitForCodeAsync(second);
        for (var i = 0; i < 4; i++)
        {
            (await host.VerifyAsync(second, Contract.WrongCode(secondCode))).Dispose();
        }

        using var right = await host.VerifyAsync(second, secondCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task AnswersTheSameShapeForNewAndKnownDestinations()
    {
        var known = Destinations.Phone();
        await host.SendAsync(known);

        using var toKnown = await host.Client.PostAsJsonAsync("otp", new { channel = "sms", to = known });
        using var toNew = await host.Client.PostAsJsonAsync("otp", new { channel = "sms", to = Destinations.Phone() });

        var forKnown = await Contract.AssertStatusAsync(toKnown, HttpStatusCode.Accepted);
        var forNew = await Contract.AssertStatusAsync(toNew, HttpStatusCode.Accepted);
        Assert.Equal(Shape(forNew), Shape(forKnown));
        Assert.Equal(forNew.GetProperty("attemptsLeft").GetInt32(), forKnown.GetProperty("attemptsLeft").GetInt32());
    }

    [Fact]
    public async Task AnswersCorsPreflightForConfiguredOrigin()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "otp");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,idempotency-key");
        using var allowed = await host.Client.SendAsync(preflight);

        using var stranger = new HttpRequestMessage(HttpMethod.Get, "health");
        stranger.Headers.Add("Origin", "https://evil.example");
        using var refused = await host.Client.SendAsync(stranger);

        Assert.Equal("https://app.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static string Shape(JsonElement body) =>
        string.Join(',', body.EnumerateObject().Select(p => $"{p.Name}:{p.Value.ValueKind}"));
}
