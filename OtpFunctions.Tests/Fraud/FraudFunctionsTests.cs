using System.Net;
using OtpFunctions.LocalHost;
using OtpFunctions.Tests.Support;
using static OtpFunctions.Tests.Fraud.FraudGuardTests;

namespace OtpFunctions.Tests.Fraud;

/// <summary>
/// The operators' routes: a block is listed, lifted by its prefix however the '+' travels, and a lifted prefix is
/// judged afresh (the sends that blocked it never count again); both routes want the function key.
/// </summary>
public sealed class FraudFunctionsTests
{
    private const string Pumped = "+234803";
    private static readonly TimeSpan Judged = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task ListsLiftsAndThenJudgesThePrefixAfresh()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:FraudGuard:MinSends"] = "5" }, fakeClock: true);
        var earlier = await host.SendAsync(PhoneRanges.Nigeria(Pumped));
        await BlockAsync(host, Pumped);

        var block = Assert.Single(await ListAsync(host));
        Assert.Equal(Pumped, block.GetProperty("prefix").GetString());
        Assert.Equal(6, block.GetProperty("sends").GetInt32());
        Assert.Equal(0, block.GetProperty("verified").GetInt32());
        Assert.Equal(host.Clock!.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), block.GetProperty("until").GetDateTimeOffset().ToUnixTimeSeconds(), 1.0);
        Assert.True(block.GetProperty("since").GetDateTimeOffset() < block.GetProperty("until").GetDateTimeOffset());
        using (var resend = await host.ResendAsync(earlier))
        {
            await Contract.AssertErrorAsync(resend, (HttpStatusCode)429, "rate_limited");
        }

        using (var lifted = await host.Client.DeleteAsync("fraud/blocks/%2B234803"))
        {
            Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        }

        Assert.Empty(await ListAsync(host));
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(host, PhoneRanges.Nigeria(Pumped))).StatusCode);

        // The six sends that blocked it are now old enough to be judged many times over: they must not block it again.
        host.Clock.Advance(Judged);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(host, PhoneRanges.Nigeria(Pumped))).StatusCode);
        using var again = await host.Client.DeleteAsync("fraud/blocks/%2B234803");
        await Contract.AssertErrorAsync(again, HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("fraud/blocks/+234805")]
    [InlineData("fraud/blocks/234805")]
    public async Task LiftsGivenThePlusRawOrLeftOut(string path)
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:FraudGuard:MinSends"] = "5" }, fakeClock: true);
        await BlockAsync(host, "+234805");

        using var lifted = await host.Client.DeleteAsync(path);

        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(host, PhoneRanges.Nigeria("+234805"))).StatusCode);
    }

    [Fact]
    public async Task AnswersNotFoundOrInvalidRequestGivenNoBlockOrNoPrefix()
    {
        await using var host = await OtpHost.StartAsync();

        using var unknown = await host.Client.DeleteAsync("fraud/blocks/%2B234803");
        using var malformed = await host.Client.DeleteAsync("fraud/blocks/abc");

        await Contract.AssertErrorAsync(unknown, HttpStatusCode.NotFound, "not_found");
        var error = await Contract.AssertErrorAsync(malformed, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("+234803", error.Message, StringComparison.Ordinal);
        Assert.Empty(await ListAsync(host));
    }

    [Fact]
    public async Task RequiresTheFunctionKeyGivenHostKeyConfigured()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?> { [FunctionKeys.Setting] = "local-key" });

        using var listWithout = await host.Client.GetAsync("fraud/blocks");
        using var liftWithout = await host.Client.DeleteAsync("fraud/blocks/%2B234803");
        using var listWith = await host.Client.GetAsync("fraud/blocks?code=local-key");
        using var request = new HttpRequestMessage(HttpMethod.Delete, "fraud/blocks/%2B234803") { Headers = { { "x-functions-key", "local-key" } } };
        using var liftWith = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, listWithout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, liftWithout.StatusCode);
        Assert.Equal("""{"blocks":[]}""", await listWith.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, liftWith.StatusCode);
    }

    /// <summary>Five unverified sends, judged once Grace has passed: the sixth send is the one refused.</summary>
    private static async Task BlockAsync(OtpHost host, string prefix)
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(host, PhoneRanges.Nigeria(prefix))).StatusCode);
        }

        host.Clock!.Advance(Judged);
        Assert.Equal((HttpStatusCode)429, (await SendAsync(host, PhoneRanges.Nigeria(prefix))).StatusCode);
    }
}
