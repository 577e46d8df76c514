using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Fraud;
using OtpFunctions.Security;

namespace OtpFunctions.Sending;

/// <summary>
/// Whether a send may go, decided before anything is counted: the phone number's country and type, the destination's
/// own limits, then the caller's budgets (checked in the order caller or ip, country, global). An admitted send takes
/// its units from those budgets beside the destination's transaction rather than before it: one round trip fewer in
/// sequence.
/// </summary>
public sealed class SendAdmission(SendBudgets budgets, DestinationRule destinations, ChallengeStore store, OtpHasher hasher, RateLimits rateLimits, PhoneReach phones, FraudGuard fraudGuard)
{
    /// <summary>For a first code: the destination's limit row and the budgets are read together.</summary>
    /// <param name="verifiedHere">
    /// False for a code another sign-in service made and checks itself (Supabase): never verified here, so the fraud
    /// guard must not count it as unconverted, though a blocked prefix still refuses it.
    /// </param>
    public async Task<Result<AdmittedSend>> AdmitNewAsync(SendRequest request, Caller caller, bool verifiedHere, CancellationToken cancellationToken)
    {
        // Every channel the code may go by must be able to reach the number: a fallback to SMS would text a landline.
        var destination = request.Destination;
        var unreachable = destination.CallingCode is { } callingCode
            ? request.Fallback.Prepend(destination.Channel).Select(channel => phones.Refusal(channel, callingCode, destination.NumberType)).FirstOrDefault(refusal => refusal is not null)
            : null;
        if (unreachable is not null)
        {
            return unreachable;
        }

        var partitionKey = hasher.DestinationKey(destination.Channel, destination.Normalized);
        var budgetRead = budgets.CheckAsync(caller, destination.CallingCode, cancellationToken);
        var limitRead = store.GetDestinationLimitAsync(partitionKey, cancellationToken);
        var fraudRead = fraudGuard.CheckAsync(destination, counted: verifiedHere, cancellationToken);
        await Task.WhenAll(budgetRead, limitRead, fraudRead);
        return (destinations.Refusal(limitRead.Result, DestinationRule.FullForNewCode) ?? fraudRead.Result.Refusal) is { } refusal
            ? refusal
            : Spend(limitRead.Result, budgetRead.Result, fraudRead.Result, cancellationToken);
    }

    /// <summary>For another code of <paramref name="challenge"/>, whose limit row was read with it: the budgets are read only if the destination takes it.</summary>
    public async Task<Result<AdmittedSend>> AdmitResendAsync(Challenge challenge, DestinationLimit limit, Caller caller, CancellationToken cancellationToken)
    {
        // The allow-list may have shrunk since the first send (a pumping incident): no more codes to that country.
        var unreachable = challenge.CallingCode is { } callingCode ? phones.Refusal(challenge.Channel, callingCode, numberType: null) : null;
        if ((unreachable ?? destinations.Refusal(limit, DestinationRule.FullForResend)) is { } refusal)
        {
            return refusal;
        }

        var budgetRead = budgets.CheckAsync(caller, challenge.CallingCode, cancellationToken);
        var fraudRead = fraudGuard.CheckAsync(challenge, cancellationToken);
        await Task.WhenAll(budgetRead, fraudRead);
        return fraudRead.Result.Refusal ?? Spend(limit, budgetRead.Result, fraudRead.Result, cancellationToken);
    }

    private Result<AdmittedSend> Spend(DestinationLimit limit, BudgetCheck budget, FraudCheck fraud, CancellationToken cancellationToken) =>
        budget.RefusedBy is { } scope
            ? Refused(scope, budget.RetryAfter!.Value)
            : new AdmittedSend(limit, SpendAsync(budget, fraud, cancellationToken));

    /// <summary>
    /// Takes the units, and counts the send for its number's prefix beside them; a budget that filled since the look
    /// (a race at the ceiling) refuses the send after all.
    /// </summary>
    private async Task<BudgetSpend> SpendAsync(BudgetCheck budget, FraudCheck fraud, CancellationToken cancellationToken)
    {
        var spending = budgets.SpendAsync(budget, cancellationToken);
        await fraudGuard.CountAsync(fraud, cancellationToken);
        var spend = await spending;
        return spend.Refusal is { } refusal ? spend with { Error = Refused(refusal.Scope, refusal.RetryAfter) } : spend;
    }

    private ApiError Refused(RateLimitScope scope, TimeSpan retryAfter) => rateLimits.Refuse(scope, retryAfter, BudgetFullMessage(scope));

    private static string BudgetFullMessage(RateLimitScope scope) => scope switch
    {
        RateLimitScope.Ip => "Too many codes requested from this address; wait before asking again.",
        RateLimitScope.Caller => "This API key has used its send budget for this window; wait before asking again.",
        RateLimitScope.Country => "Too many codes sent to this country; wait before asking again.",
        _ => "The service is sending too many codes right now; wait before asking again.",
    };
}

/// <summary>
/// An admitted send: the destination's limit row as read, and the budgets' units being taken (or the refusal should a
/// budget have filled meanwhile).
/// </summary>
public sealed record AdmittedSend(DestinationLimit Limit, Task<BudgetSpend> BudgetSpend);
