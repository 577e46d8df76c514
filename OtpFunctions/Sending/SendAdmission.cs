using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Http;
using OtpFunctions.Security;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Sending;

/// <summary>
/// Whether a send may go, decided before anything is counted: the SMS country, the destination's own limits,
/// then the caller's budgets (checked in the order caller or ip, country, global). An admitted send has started
/// counting those budgets, beside the destination's transaction rather than before it: one round trip fewer in sequence.
/// </summary>
public sealed class SendAdmission(SendBudgets budgets, DestinationRule destinations, ChallengeStore store, OtpHasher hasher, ChallengeRules rules)
{
    /// <summary>For a first code: the destination's limit row and the budgets are read together.</summary>
    public async Task<Result<AdmittedSend>> AdmitNewAsync(SendRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var destination = request.Destination;
        if (CountryRefusal(destination.CallingCode) is { } country)
        {
            return country;
        }

        var partitionKey = hasher.DestinationKey(destination.Channel, destination.Normalized);
        var budgetRead = budgets.CheckAsync(caller, destination.CallingCode, cancellationToken);
        var limitRead = store.GetDestinationLimitAsync(partitionKey, cancellationToken);
        await Task.WhenAll(budgetRead, limitRead);
        return destinations.Refusal(limitRead.Result, DestinationRule.FullForNewCode) is { } refusal
            ? refusal
            : Spend(limitRead.Result, budgetRead.Result, cancellationToken);
    }

    /// <summary>For another code of <paramref name="challenge"/>, whose limit row was read with it: the budgets are read only if the destination takes it.</summary>
    public async Task<Result<AdmittedSend>> AdmitResendAsync(Challenge challenge, DestinationLimit limit, Caller caller, CancellationToken cancellationToken)
    {
        var smsCallingCode = challenge.Channel.IsPhone() ? challenge.CallingCode : null;

        // The allow-list may have shrunk since the first send (a pumping incident): no more codes to that country.
        if ((CountryRefusal(smsCallingCode) ?? destinations.Refusal(limit, DestinationRule.FullForResend)) is { } refusal)
        {
            return refusal;
        }

        return Spend(limit, await budgets.CheckAsync(caller, smsCallingCode, cancellationToken), cancellationToken);
    }

    private ApiError? CountryRefusal(int? smsCallingCode) =>
        smsCallingCode is { } callingCode && !budgets.AllowsSmsTo(callingCode)
            ? ApiError.InvalidRequest($"SMS to +{callingCode} numbers is not enabled on this service.")
            : null;

    private Result<AdmittedSend> Spend(DestinationLimit limit, BudgetCheck budget, CancellationToken cancellationToken) =>
        budget.RefusedBy is { } scope
            ? rules.RateLimited(scope, budget.RetryAfter!.Value, BudgetFullMessage(scope))
            : new AdmittedSend(limit, budgets.SpendAsync(budget, cancellationToken));

    private static string BudgetFullMessage(RateLimitScope scope) => scope switch
    {
        RateLimitScope.Ip => "Too many codes requested from this address; wait before asking again.",
        RateLimitScope.Caller => "This API key has used its send budget for this window; wait before asking again.",
        RateLimitScope.Country => "Too many codes sent to this country; wait before asking again.",
        _ => "The service is sending too many codes right now; wait before asking again.",
    };
}

/// <summary>
/// An admitted send: the destination's limit row as read, and the budgets' count under way (it yields the budget
/// windows the count opened, which the sweeper must learn of).
/// </summary>
public sealed record AdmittedSend(DestinationLimit Limit, Task<IReadOnlyList<SweepHint>> BudgetSpend);
