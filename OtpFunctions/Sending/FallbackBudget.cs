using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Sending;

/// <summary>
/// A fallback try spends the phone budgets a send spends (the country's and the service's), through the same
/// hard ceilings; the caller's own budget was spent by the send that started it, so the try pays none of its own, as a
/// relay does.
/// </summary>
public sealed class FallbackBudget(SendBudgets budgets, ExpiryIndex expiryIndex) : IFallbackBudget
{
    private static readonly Caller Fallback = Caller.ForRelay("fallback");

    public async Task<string?> TrySpendAsync(int callingCode, CancellationToken cancellationToken)
    {
        var spend = await budgets.ReserveAsync(Fallback, callingCode, cancellationToken);
        if (spend.Refusal is { } refusal)
        {
            return refusal.Scope == RateLimitScope.Country ? "the country's phone budget is spent" : "the service's phone budget is spent";
        }

        // The windows a count opens are filed at once: no queue message carries them to the sweeper here.
        await expiryIndex.AddAsync(spend.Hints, cancellationToken);
        return null;
    }
}
