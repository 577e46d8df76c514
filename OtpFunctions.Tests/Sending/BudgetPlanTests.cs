using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Sending;

namespace OtpFunctions.Tests.Sending;

/// <summary>Which budgets each kind of send spends, decided from the options alone.</summary>
public sealed class BudgetPlanTests
{
    private static readonly Budget IpBudget = new(RateLimitScope.Ip, "ip-x", 20, TimeSpan.FromHours(1));
    private static readonly Budget CallerBudget = new(RateLimitScope.Caller, "caller-backend", 1000, TimeSpan.FromHours(1));

    private static readonly OtpOptions Limits = new()
    {
        MaxSendsGlobal = 500,
        Email = new EmailBudgetOptions { MaxSendsGlobal = 90 },
        Sms = new SmsAbuseOptions { MaxSendsPerCountryCode = 50 },
    };

    [Fact]
    public void SpendsTheAddressTheCountryAndOnlyTheAnonymousShareGivenAnAnonymousPhoneSend()
    {
        var needs = new BudgetPlan(Limits).For(new BudgetPayer(IpBudget, Keyed: false), phoneCallingCode: 44);

        Assert.Equal([RateLimitScope.Ip, RateLimitScope.Country, RateLimitScope.Global], needs.Select(need => need.Scope));
        Assert.Equal("cc-44", needs[1].Pools.Single().PartitionKey);
        var global = Assert.Single(needs[2].Pools);
        Assert.Equal(("global-anonymous", 400), (global.PartitionKey, global.Limit));
    }

    [Fact]
    public void DrawsOnTheKeyedPoolFirstThenTheAnonymousOneGivenAServerCaller()
    {
        var needs = new BudgetPlan(Limits).For(new BudgetPayer(CallerBudget, Keyed: true), phoneCallingCode: 1);

        Assert.Equal(CallerBudget, needs[0].Pools.Single());
        Assert.Equal([("global-keyed", 100), ("global-anonymous", 400)], needs[2].Pools.Select(pool => (pool.PartitionKey, pool.Limit)));
    }

    [Fact]
    public void SpendsOnlyTheEmailBudgetGivenARelayedEmail()
    {
        var need = Assert.Single(new BudgetPlan(Limits).For(new BudgetPayer(null, Keyed: true), phoneCallingCode: null));

        Assert.Equal(RateLimitScope.Global, need.Scope);
        Assert.Equal([("email-global-keyed", 18), ("email-global-anonymous", 72)], need.Pools.Select(pool => (pool.PartitionKey, pool.Limit)));
    }

    [Fact]
    public void SpendsTheAddressAndTheEmailBudgetButNoCountryGivenAnAnonymousEmail()
    {
        var needs = new BudgetPlan(Limits).For(new BudgetPayer(IpBudget, Keyed: false), phoneCallingCode: null);

        Assert.Equal([RateLimitScope.Ip, RateLimitScope.Global], needs.Select(need => need.Scope));
        Assert.Equal([("email-global-anonymous", 72)], needs[1].Pools.Select(pool => (pool.PartitionKey, pool.Limit)));
    }

    [Fact]
    public void CountsTheCountryInItsOwnWindow()
    {
        var limits = new OtpOptions { Sms = new SmsAbuseOptions { MaxSendsPerCountryCode = 50, CountryWindow = TimeSpan.FromMinutes(15) } };

        var country = new BudgetPlan(limits).For(new BudgetPayer(IpBudget, Keyed: false), phoneCallingCode: 234)[1].Pools.Single();

        Assert.Equal(new Budget(RateLimitScope.Country, "cc-234", 50, TimeSpan.FromMinutes(15)), country);
    }

    [Fact]
    public void SpendsNoGlobalBudgetGivenNoneConfigured()
    {
        var needs = new BudgetPlan(new OtpOptions()).For(new BudgetPayer(IpBudget, Keyed: false), phoneCallingCode: 1);

        Assert.Equal(IpBudget, Assert.Single(needs).Pools.Single());
    }
}
