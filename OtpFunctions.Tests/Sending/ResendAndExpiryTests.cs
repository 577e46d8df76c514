using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sending;

/// <summary>Time-dependent rules, on a host whose clock the test moves.</summary>
public sealed class ResendAndExpiryTests : IAsyncLifetime
{
    private OtpHost host = null!;

    public async Task InitializeAsync() => host = await OtpHost.StartAsync(fakeClock: true);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task ReturnsRateLimitedDuringCooldown()
    {
        var id = (await host.SendAsync(Destinations.Phone())).GetProperty("id").GetString()!;
        host.Clock!.Advance(TimeSpan.FromSeconds(10));

        using var response = await host.Client.PostAsync($"otp/{id}/resend", null);

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal("20", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal("rate_limited", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task SendsNewCodeAndRetiresOldOneAfterCooldown()
    {
        var first = await host.SendAsync(Destinations.Phone());
        var id = first.GetProperty("id").GetString()!;
        var oldCode = await host.Delivery.WaitForCodeAsync(id);
        host.Clock!.Advance(TimeSpan.FromSeconds(31));

        using var resend = await host.Client.PostAsync($"otp/{id}/resend", null);
        var body = await resend.Content.ReadFromJsonAsync<JsonElement>();
        var newCode = await host.Delivery.WaitForCodeAsync(id, nth: 2);

        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal(3, body.GetProperty("sendsLeft").GetInt32());
        Assert.NotEqual(oldCode, newCode);
        Assert.True(body.GetProperty("resendAfter").GetDateTimeOffset() > first.GetProperty("resendAfter").GetDateTimeOffset());
        using var old = await host.VerifyAsync(id, oldCode);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        using var fresh = await host.VerifyAsync(id, newCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task KeepsWrongAttemptCountAcrossResend()
    {
        var id = await host.SendForIdAsync(Destinations.Phone());
        var wrong = Contract.WrongCode(await host.Delivery.WaitForCodeAsync(id));
        for (var i = 0; i < 2; i++)
        {
            (await host.VerifyAsync(id, wrong)).Dispose();
        }

        host.Clock!.Advance(TimeSpan.FromSeconds(31));
        using var resend = await host.ResendAsync(id);
        var resent = await Contract.AssertStatusAsync(resend, HttpStatusCode.Accepted);
        var newCode = await host.Delivery.WaitForCodeAsync(id, nth: 2);

        // A resend must not hand a guesser a fresh set of attempts: 5 - 2 wrong = 3, then 2 after one more.
        Assert.Equal(3, resent.AttemptsLeft());
        Assert.Equal(3, (await host.StatusAsync(id)).AttemptsLeft());
        using var third = await host.VerifyAsync(id, Contract.WrongCode(newCode));
        Assert.Equal(2, (await Contract.AssertErrorAsync(third, HttpStatusCode.BadRequest, "invalid_code")).AttemptsLeft());
    }

    [Fact]
    public async Task CountsResendsAndSendsAgainstOneDestinationBudget()
    {
        var to = Destinations.Phone();
        await host.SendAsync(to);
        await host.SendAsync(to);
        var id = await host.SendForIdAsync(to);
        var sendsLeft = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            host.Clock!.Advance(TimeSpan.FromSeconds(31));
            using var ok = await host.ResendAsync(id);
            sendsLeft.Add((await Contract.AssertStatusAsync(ok, HttpStatusCode.Accepted)).SendsLeft());
        }

        host.Clock!.Advance(TimeSpan.FromSeconds(31));
        using var refused = await host.ResendAsync(id);

        // Three sends and two resends spend the destination's five; the sixth is refused until the window ends.
        Assert.Equal([1, 0], sendsLeft);
        await Contract.AssertErrorAsync(refused, (HttpStatusCode)429, "rate_limited");
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 30);
    }

    [Fact]
    public async Task ReturnsRateLimitedWhenNoSendsAreLeft()
    {
        var id = (await host.SendAsync(Destinations.Phone())).GetProperty("id").GetString()!;
        for (var i = 0; i < 4; i++)
        {
            host.Clock!.Advance(TimeSpan.FromSeconds(31));
            using var ok = await host.Client.PostAsync($"otp/{id}/resend", null);
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        host.Clock!.Advance(TimeSpan.FromSeconds(31));
        using var refused = await host.Client.PostAsync($"otp/{id}/resend", null);

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
    }

    [Fact]
    public async Task ReturnsGoneAfterCodeLifetime()
    {
        var id = (await host.SendAsync(Destinations.Phone())).GetProperty("id").GetString()!;
        var code = await host.Delivery.WaitForCodeAsync(id);
        host.Clock!.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        using var verify = await host.VerifyAsync(id, code);
        using var resend = await host.Client.PostAsync($"otp/{id}/resend", null);

        Assert.Equal(HttpStatusCode.Gone, verify.StatusCode);
        Assert.Equal("expired", (await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Gone, resend.StatusCode);
        Assert.Equal("expired", (await host.Client.GetFromJsonAsync<JsonElement>($"otp/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AcceptsCodeUntilTheEndOfItsLifetime()
    {
        var id = await host.SendForIdAsync(Destinations.Phone());
        var code = await host.Delivery.WaitForCodeAsync(id);
        host.Clock!.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));

        using var verify = await host.VerifyAsync(id, code);

        // With ReturnsGoneAfterCodeLifetime this pins the lifetime to ten minutes from both sides.
        Assert.Equal("approved", (await Contract.AssertStatusAsync(verify, HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task RefusesResendOfVerifiedOrLockedChallenge()
    {
        var verifiedId = (await host.SendAsync(Destinations.Phone())).GetProperty("id").GetString()!;
        (await host.VerifyAsync(verifiedId, await host.Delivery.WaitForCodeAsync(verifiedId))).Dispose();
        var lockedId = (await host.SendAsync(Destinations.Phone())).GetProperty("id").GetString()!;
        var wrong = Contract.WrongCode(await host.Delivery.WaitForCodeAsync(lockedId));
        for (var i = 0; i < 5; i++)
        {
            (await host.VerifyAsync(lockedId, wrong)).Dispose();
        }

        host.Clock!.Advance(TimeSpan.FromSeconds(31));
        using var verified = await host.Client.PostAsync($"otp/{verifiedId}/resend", null);
        using var locked = await host.Client.PostAsync($"otp/{lockedId}/resend", null);

        Assert.Equal(HttpStatusCode.Conflict, verified.StatusCode);
        Assert.Equal((HttpStatusCode)423, locked.StatusCode);
    }

    [Fact]
    public async Task OpensNewSendWindowAfterItEnds()
    {
        var to = Destinations.Phone();
        for (var i = 0; i < 5; i++)
        {
            await host.SendAsync(to);
        }

        host.Clock!.Advance(TimeSpan.FromMinutes(10));

        var again = await host.SendAsync(to);
        Assert.Equal(4, again.GetProperty("sendsLeft").GetInt32());
    }

    [Fact]
    public async Task RejectsSessionAfterItsLifetime()
    {
        var id = (await host.SendAsync(Destinations.Phone())).GetProperty("id").GetString()!;
        using var verify = await host.VerifyAsync(id, await host.Delivery.WaitForCodeAsync(id));
        var token = (await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session").GetProperty("token").GetString()!;
        host.Clock!.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        using var request = new HttpRequestMessage(HttpMethod.Get, "session");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
