using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Fraud;

namespace OtpFunctions.Sending;

/// <summary>
/// A fallback try is another message to the number, so it passes what a send passes: the fraud guard (a prefix
/// blocked since the send gets no further tries) and the phone budgets' hard ceilings (the country's and the global
/// one). The caller's own budget was spent by the send that started it, so the try pays none of its own.
/// </summary>
public sealed class FallbackBudget(SendBudgets budgets, FraudGuard fraudGuard) : IFallbackBudget
{
    /// <summary>
    /// The challenge does not record who sent it, so a try draws on the anonymous share of the global budget only: an
    /// anonymous flood whose sends fail over must not reach the part kept for server callers and relays.
    /// </summary>
    private static readonly BudgetPayer Payer = new(null, Keyed: false);

    public async Task<string?> TrySpendAsync(Challenge challenge, CancellationToken cancellationToken)
    {
        if (challenge.CallingCode is null)
        {
            // Every phone challenge keeps its calling code; without one no budget could be charged, so no try goes.
            return "the challenge names no calling code";
        }

        var fraud = await fraudGuard.CheckAsync(challenge, cancellationToken);
        if (fraud.Refusal is not null)
        {
            return "the number's prefix is blocked by the fraud guard";
        }

        var spend = await budgets.ReserveAsync(Payer, challenge.CallingCode, cancellationToken);
        if (spend.Refusal is { } refusal)
        {
            return refusal.Scope == RateLimitScope.Country ? "the country's phone budget is spent" : "the service's phone budget is spent";
        }

        // Not counted as a send by the guard: it is the same code, verified at most once, and counting it would halve
        // the verified share of any range whose first channel fails, blocking real users when they need the fallback.
        await fraudGuard.CountAsync(fraud with { Counted = false }, cancellationToken);
        return null;
    }
}
