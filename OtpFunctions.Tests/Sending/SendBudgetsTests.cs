using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Sending;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sending;

/// <summary>Who pays for a send and which address a budget counts, as plain objects: the decisions behind the per-caller and per-address limits.</summary>
public sealed class SendBudgetsTests : IDisposable
{
    private readonly PlainRules plain = new(new OtpOptions { MaxSendsPerIp = 20, IpWindow = TimeSpan.FromMinutes(30) });

    [Fact]
    public void ChargesAServerCallersOwnBudgetAndLetsItUseTheKeyedShare()
    {
        var server = new ServerCallerOptions { Name = "backend", MaxSends = 700 };

        var payer = SendBudgets.PayerOf(new Caller(server, "203.0.113.9"), plain.Limits, plain.Hasher);

        Assert.Equal(new BudgetPayer(new Budget(RateLimitScope.Caller, "caller-backend", 700, TimeSpan.FromMinutes(30)), Keyed: true), payer);
    }

    [Fact]
    public void ChargesARelayNoBudgetOfItsOwn()
    {
        Assert.Equal(new BudgetPayer(null, Keyed: true), SendBudgets.PayerOf(Caller.ForRelay("entra"), plain.Limits, plain.Hasher));
    }

    [Fact]
    public void ChargesAnAnonymousCallerItsAddressWithoutStoringIt()
    {
        var payer = SendBudgets.PayerOf(new Caller(null, "203.0.113.9"), plain.Limits, plain.Hasher);

        Assert.False(payer.Keyed);
        Assert.Equal((RateLimitScope.Ip, 20, TimeSpan.FromMinutes(30)), (payer.Own!.Scope, payer.Own.Limit, payer.Own.Window));
        Assert.Equal("ip-" + plain.Hasher.IpKey("203.0.113.9"), payer.Own.PartitionKey);
        Assert.DoesNotContain("203.0.113", payer.Own.PartitionKey, StringComparison.Ordinal);
        Assert.NotEqual(payer.Own.PartitionKey, SendBudgets.PayerOf(new Caller(null, "203.0.113.10"), plain.Limits, plain.Hasher).Own!.PartitionKey);
    }

    [Fact]
    public void ChargesEveryCallerWithoutAKnownAddressOneSharedBudget()
    {
        var payer = SendBudgets.PayerOf(new Caller(null, null), plain.Limits, plain.Hasher);

        Assert.Equal(new Budget(RateLimitScope.Ip, SendBudgets.UnknownClientKey, 20, TimeSpan.FromMinutes(30)), payer.Own);
    }

    [Fact]
    public void ChargesAllAddressesOfOneIpv6SubscriberOneBudget()
    {
        var first = SendBudgets.PayerOf(new Caller(null, "2001:db8:1:2::1"), plain.Limits, plain.Hasher).Own!.PartitionKey;
        var second = SendBudgets.PayerOf(new Caller(null, "2001:db8:1:2:ffff:ffff:ffff:ffff"), plain.Limits, plain.Hasher).Own!.PartitionKey;
        var neighbour = SendBudgets.PayerOf(new Caller(null, "2001:db8:1:3::1"), plain.Limits, plain.Hasher).Own!.PartitionKey;

        Assert.Equal(first, second);
        Assert.NotEqual(first, neighbour);
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "::ffff:203.0.113.9")]
    [InlineData("not an address", "not an address")]
    public void CountsAnIpv6ClientAsItsSlash64AndAnyOtherAsItself(string clientIp, string expected)
    {
        Assert.Equal(expected, OtpFunctions.Http.ClientIp.SubscriberKey(clientIp));
    }

    public void Dispose() => plain.Dispose();
}
