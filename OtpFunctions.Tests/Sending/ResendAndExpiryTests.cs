using System.Net;
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
        var id = await host.SendAsync(Destinations.Phone());
        host.Clock!.Advance(TimeSpan.FromSeconds(10));

        using var response = await host.ResendAsync(id);

        await Contract.AssertErrorAsync(response, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal("20", response.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task SendsNewCodeAndRetiresOldOneAfterCooldown()
    {
        var first = await host.SendForAnswerAsync(Destinations.Phone());
        var id = first.Id;
        var oldCode = await host.Delivery.WaitForCodeAsync(id);
        host.Clock!.Advance(TimeSpan.FromSeconds(31));

        using var resend = await host.ResendAsync(id);
        var body = await Contract.ReadAsync<SendAnswer>(resend, HttpStatusCode.Accepted);
        var newCode = await host.Delivery.WaitForCodeAsync(id, nth: 2);

        Assert.Equal(id, body.Id);
        Assert.Equal(3, body.SendsLeft);
        Assert.Equal(5, body.AttemptsLeft);
        Assert.NotEqual(oldCode, newCode);
        Assert.True(body.ResendAfter > first.ResendAfter);
        using var old = await host.VerifyAsync(id, oldCode);
        // The retired code is a wrong code now, counted as one: not a malformed request, not a pass.
        Assert.Equal(4, (await Contract.AssertErrorAsync(old, HttpStatusCode.BadRequest, "invalid_code")).AttemptsLeft);
        using var fresh = await host.VerifyAsync(id, newCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task KeepsWrongAttemptCountAcrossResend()
    {
        var id = await host.SendAsync(Destinations.Phone());
        var wrong = Contract.WrongCode(await host.Delivery.WaitForCodeAsync(id));
        for (var i = 0; i < 2; i++)
        {
            (await host.VerifyAsync(id, wrong)).Dispose();
        }

        host.Clock!.Advance(TimeSpan.FromSeconds(31));
        using var resend = await host.ResendAsync(id);
        var resent = await Contract.ReadAsync<SendAnswer>(resend, HttpStatusCode.Accepted);
        var newCode = await host.Delivery.WaitForCodeAsync(id, nth: 2);

        // A resend must not hand a guesser a fresh set of attempts: 5 - 2 wrong = 3, then 2 after one more.
        Assert.Equal(3, resent.AttemptsLeft);
        Assert.Equal(3, (await host.StatusAsync(id)).AttemptsLeft);
        using var third = await host.VerifyAsync(id, Contract.WrongCode(newCode));
        Assert.Equal(2, (await Contract.AssertErrorAsync(third, HttpStatusCode.BadRequest, "invalid_code")).AttemptsLeft);
    }

    [Fact]
    public async Task CountsResendsAndSendsAgainstOneDestinationBudget()
    {
        var to = Destinations.Phone();
        await host.SendAsync(to);
        await host.SendAsync(to);
        var id = await host.SendAsync(to);
        var sendsLeft = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            host.Clock!.Advance(TimeSpan.FromSeconds(31));
            using var ok = await host.ResendAsync(id);
            sendsLeft.Add((await Contract.ReadAsync<SendAnswer>(ok, HttpStatusCode.Accepted)).SendsLeft);
        }

        host.Clock!.Advance(TimeSpan.FromSeconds(31));
        using var refused = await host.ResendAsync(id);

        // Three sends and two resends spend the destination's five; the sixth is refused until the window ends.
        Assert.Equal([1, 0], sendsLeft);
        await Contract.AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 30);
    }

    [Fact]
    public async Task ReturnsRateLimitedWhenNoSendsAreLeft()
    {
        var id = await host.SendAsync(Destinations.Phone());
        for (var i = 0; i < 4; i++)
        {
            host.Clock!.Advance(TimeSpan.FromSeconds(31));
            using var ok = await host.ResendAsync(id);
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        host.Clock!.Advance(TimeSpan.FromSeconds(31));
        using var refused = await host.ResendAsync(id);

        await Contract.AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task ReturnsGoneAfterCodeLifetime()
    {
        var id = await host.SendAsync(Destinations.Phone());
        var code = await host.Delivery.WaitForCodeAsync(id);
        host.Clock!.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        using var verify = await host.VerifyAsync(id, code);
        using var resend = await host.ResendAsync(id);

        await Contract.AssertErrorAsync(verify, HttpStatusCode.Gone, "expired");
        await Contract.AssertErrorAsync(resend, HttpStatusCode.Gone, "expired");
        Assert.Equal("expired", (await host.StatusAsync(id)).Status);
    }

    [Fact]
    public async Task AcceptsCodeUntilTheEndOfItsLifetime()
    {
        var id = await host.SendAsync(Destinations.Phone());
        var code = await host.Delivery.WaitForCodeAsync(id);
        host.Clock!.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));

        using var verify = await host.VerifyAsync(id, code);

        // With ReturnsGoneAfterCodeLifetime this pins the lifetime to ten minutes from both sides.
        Assert.Equal("approved", (await Contract.ReadAsync<ApprovedAnswer>(verify, HttpStatusCode.OK)).Status);
    }

    [Fact]
    public async Task RefusesResendOfVerifiedOrLockedChallenge()
    {
        var verifiedId = await host.SendAsync(Destinations.Phone());
        (await host.VerifyAsync(verifiedId, await host.Delivery.WaitForCodeAsync(verifiedId))).Dispose();
        var lockedId = await host.SendAsync(Destinations.Phone());
        var wrong = Contract.WrongCode(await host.Delivery.WaitForCodeAsync(lockedId));
        for (var i = 0; i < 5; i++)
        {
            (await host.VerifyAsync(lockedId, wrong)).Dispose();
        }

        host.Clock!.Advance(TimeSpan.FromSeconds(31));
        using var verified = await host.ResendAsync(verifiedId);
        using var locked = await host.ResendAsync(lockedId);

        await Contract.AssertErrorAsync(verified, HttpStatusCode.Conflict, "already_verified");
        await Contract.AssertErrorAsync(locked, HttpStatusCode.Locked, "locked");
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

        var again = await host.SendForAnswerAsync(to);
        Assert.Equal(4, again.SendsLeft);
    }

    [Fact]
    public async Task RejectsSessionAfterItsLifetime()
    {
        var token = await host.SignInAsync();
        host.Clock!.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        using var response = await host.SessionAsync(token);

        await Contract.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }
}
