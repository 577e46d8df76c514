using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Sending;

/// <summary>
/// A fallback try spends the phone budgets a send spends (the country's and the service's), through the same
/// checks; the caller's own budget was spent by the send that started it, so the try counts as this internal caller.
/// </summary>
public sealed class FallbackBudget(SendBudgets budgets, ExpiryIndex expiryIndex) : IFallbackBudget
{
    private static readonly Caller Fallback = new(new ServerCallerOptions { Name = "fallback", MaxSends = int.MaxValue }, null);

    public async Task<string?> TrySpendAsync(int callingCode, CancellationToken cancellationToken)
    {
        var check = await budgets.CheckAsync(Fallback, callingCode, cancellationToken);
        if (check.RefusedBy is { } scope)
        {
            return scope == RateLimitScope.Country ? "the country's phone budget is spent" : "the service's phone budget is spent";
        }

        // The windows a count opens are filed at once: no queue message carries them to the sweeper here.
        await expiryIndex.AddAsync(await budgets.SpendAsync(check, cancellationToken), cancellationToken);
        return null;
    }
}
