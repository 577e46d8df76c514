using OtpFunctions.Challenges;
using OtpFunctions.Configuration;

namespace OtpFunctions.Sending;

/// <summary>
/// Which budgets a send spends, in the order a refusal is named: the payer's own (a server caller's or the client
/// address's), the phone country's, and the global budget of its kind of channel. A decision on the options alone.
/// </summary>
public sealed class BudgetPlan(OtpOptions limits)
{
    public IReadOnlyList<BudgetNeed> For(BudgetPayer payer, int? phoneCallingCode)
    {
        var needs = new List<BudgetNeed>(3);
        if (payer.Own is { } own)
        {
            needs.Add(new BudgetNeed(own.Scope, [own]));
        }

        if (phoneCallingCode is { } code && limits.Sms.MaxSendsPerCountryCode > 0)
        {
            needs.Add(new BudgetNeed(RateLimitScope.Country, [new Budget(RateLimitScope.Country, $"cc-{code}", limits.Sms.MaxSendsPerCountryCode, limits.Sms.CountryWindow)]));
        }

        // Phone sends cost money per message and email has a provider quota: each has its own ceiling, neither spends the other's.
        var (global, window, name) = phoneCallingCode is null
            ? (limits.Email.MaxSendsGlobal, limits.Email.GlobalWindow, "email-global")
            : (limits.MaxSendsGlobal, limits.GlobalWindow, "global");
        if (global > 0)
        {
            needs.Add(new BudgetNeed(RateLimitScope.Global, Pools(global, window, name, payer.Keyed)));
        }

        return needs;
    }

    /// <summary>
    /// An anonymous caller draws only on the anonymous share; a server caller or relay on the rest first, then on the
    /// share: an anonymous flood can use up its share but never starve the callers the service knows.
    /// </summary>
    private Budget[] Pools(int limit, TimeSpan window, string name, bool keyed)
    {
        var (anonymous, rest) = BudgetShares.Split(limit, limits.AnonymousShare);
        var anonymousPool = new Budget(RateLimitScope.Global, name + "-anonymous", anonymous, window);
        return keyed ? [new Budget(RateLimitScope.Global, name + "-keyed", rest, window), anonymousPool] : [anonymousPool];
    }
}

/// <summary>Who pays for a send: its own budget (none for a relay), and whether it may use the part of global budgets kept from anonymous callers.</summary>
public sealed record BudgetPayer(Budget? Own, bool Keyed);
