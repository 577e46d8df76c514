using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Http;
using OtpFunctions.Security;

namespace OtpFunctions.Sending;

/// <summary>
/// The budgets a send spends besides its destination's: the caller's (a server caller's own budget, else the client
/// IP's), the phone country's, and the service's global budget for its kind of channel (phone or email). Each is a
/// hard ceiling (<see cref="BudgetCounter"/>): looked at beside the destination's read, taken beside its transaction,
/// given back when the send is refused after all. A refusal names its scope.
/// </summary>
public sealed class SendBudgets(BudgetCounter counter, OtpHasher hasher, IOptions<OtpOptions> options)
{
    /// <summary>The IP bucket of every caller without a known address (IP keys are hex HMACs: no collision).</summary>
    public const string UnknownClientKey = "ip-unknown";

    private readonly BudgetPlan plan = new(options.Value);

    /// <summary>
    /// Looks at every budget a send by <paramref name="caller"/> to <paramref name="phoneCallingCode"/> (null: an email)
    /// spends, all at once. A full one refuses, checked in the order caller or ip, country, global; nothing is spent.
    /// </summary>
    public Task<BudgetCheck> CheckAsync(Caller caller, int? phoneCallingCode, CancellationToken cancellationToken) =>
        CheckAsync(PayerOf(caller, options.Value, hasher), phoneCallingCode, cancellationToken);

    /// <summary>As above for a payer that is no caller (a fallback try, which the send that started it paid for).</summary>
    public async Task<BudgetCheck> CheckAsync(BudgetPayer payer, int? phoneCallingCode, CancellationToken cancellationToken)
    {
        var needs = plan.For(payer, phoneCallingCode);
        var looks = await Task.WhenAll(needs.Select(need => LookAsync(need, cancellationToken)));
        foreach (var (need, look) in needs.Zip(looks))
        {
            if (look.Wait is { } wait)
            {
                return new BudgetCheck(need.Scope, wait, []);
            }
        }

        return new BudgetCheck(null, null, needs.Zip(looks).ToArray());
    }

    /// <summary>
    /// Takes one unit from each budget <paramref name="check"/> found room in, all at once. Should one have filled
    /// meanwhile, the units already taken go back and the spend names the scope that refused.
    /// </summary>
    public async Task<BudgetSpend> SpendAsync(BudgetCheck check, CancellationToken cancellationToken)
    {
        var taking = check.Looks.Select(pair => TakeAsync(pair.Need, pair.Look, cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(taking);
        }
        catch
        {
            // One budget's storage failed: the units the others took go back before the send fails (a 503).
            await new BudgetSpend(counter, taking.Where(take => take.IsCompletedSuccessfully && take.Result.Take is not null).Select(take => take.Result.Take!).ToArray(), null)
                .GiveBackAsync(CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        var takes = taking.Select(take => take.Result).ToArray();
        var taken = takes.Where(take => take.Take is not null).Select(take => take.Take!).ToArray();
        var spend = new BudgetSpend(counter, taken, null);
        if (takes.FirstOrDefault(take => take.Take is null) is { Need: not null } refused)
        {
            await spend.GiveBackAsync(cancellationToken);
            return spend with { Taken = [], Refusal = new BudgetRefusal(refused.Need.Scope, refused.Wait) };
        }

        return spend;
    }

    /// <summary>For a relay (Entra, Supabase), which answers at once: look and take in one go.</summary>
    public Task<BudgetSpend> ReserveAsync(Caller caller, int? phoneCallingCode, CancellationToken cancellationToken) =>
        ReserveAsync(PayerOf(caller, options.Value, hasher), phoneCallingCode, cancellationToken);

    /// <summary>Look and take in one go for <paramref name="payer"/>.</summary>
    public async Task<BudgetSpend> ReserveAsync(BudgetPayer payer, int? phoneCallingCode, CancellationToken cancellationToken)
    {
        var check = await CheckAsync(payer, phoneCallingCode, cancellationToken);
        return check.RefusedBy is { } scope
            ? new BudgetSpend(counter, [], new BudgetRefusal(scope, check.RetryAfter!.Value))
            : await SpendAsync(check, cancellationToken);
    }

    /// <summary>Who pays for a send by <paramref name="caller"/>: a decision on the options alone.</summary>
    public static BudgetPayer PayerOf(Caller caller, OtpOptions limits, OtpHasher hasher) => caller switch
    {
        { Server: { } server } => new BudgetPayer(new Budget(RateLimitScope.Caller, "caller-" + server.Name, server.MaxSends, limits.IpWindow), Keyed: true),
        { Relay: not null } => new BudgetPayer(null, Keyed: true),
        // A caller whose address the host could not tell shares one bucket with all such callers: no address must not mean no limit.
        _ => new BudgetPayer(
            new Budget(RateLimitScope.Ip, caller.ClientIp is { } clientIp ? "ip-" + hasher.IpKey(ClientIp.SubscriberKey(clientIp)) : UnknownClientKey, limits.MaxSendsPerIp, limits.IpWindow),
            Keyed: false),
    };

    /// <summary>The first pool of <paramref name="need"/> with room, or the shortest wait when all are full.</summary>
    private async Task<BudgetLook> LookAsync(BudgetNeed need, CancellationToken cancellationToken)
    {
        BudgetLook? full = null;
        foreach (var pool in need.Pools)
        {
            var look = await counter.LookAsync(pool, cancellationToken);
            if (look.Wait is null)
            {
                return look;
            }

            full = full is null || look.Wait < full.Wait ? look : full;
        }

        return full!;
    }

    /// <summary>Takes from the pool looked at; should it have filled meanwhile, from the need's later pools.</summary>
    private async Task<(BudgetNeed? Need, BudgetTake? Take, TimeSpan Wait)> TakeAsync(BudgetNeed need, BudgetLook look, CancellationToken cancellationToken)
    {
        var wait = TimeSpan.MaxValue;
        foreach (var pool in need.Pools.SkipWhile(pool => pool != look.Budget))
        {
            var tried = pool == look.Budget ? look : await counter.LookAsync(pool, cancellationToken);
            if (await counter.TakeAsync(tried, cancellationToken) is { } take)
            {
                return (null, take, TimeSpan.Zero);
            }

            wait = counter.UntilWindowEnds(pool) is var poolWait && poolWait < wait ? poolWait : wait;
        }

        return (need, null, wait);
    }
}

/// <summary>The scope that refused (if any) and how long to wait, or each budget with the shard it found room in.</summary>
public sealed record BudgetCheck(RateLimitScope? RefusedBy, TimeSpan? RetryAfter, IReadOnlyList<(BudgetNeed Need, BudgetLook Look)> Looks);

/// <summary>A refusal by a budget that filled between its look and its take.</summary>
public sealed record BudgetRefusal(RateLimitScope Scope, TimeSpan RetryAfter);

/// <summary>
/// What a send took from its budgets: the units (to give back if the send is refused after all), or the refusal when
/// a budget filled before its unit was taken.
/// </summary>
public sealed record BudgetSpend(BudgetCounter Counter, IReadOnlyList<BudgetTake> Taken, BudgetRefusal? Refusal)
{
    /// <summary>The 429 this refusal answers, once <see cref="SendAdmission"/> has named it; null when the send may go.</summary>
    public ApiError? Error { get; init; }

    public async Task GiveBackAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(Taken.Select(take => Counter.GiveBackAsync(take, cancellationToken)));
}
