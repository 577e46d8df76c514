using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery;
using OtpFunctions.Http;
using OtpFunctions.Security;
using OtpFunctions.Sweeping;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Sending;

/// <summary>
/// Sends codes: a new challenge (<c>POST /api/otp</c>, with Idempotency-Key replay) or a new code for an
/// existing one (resend). Spends the client's budgets, the destination's window, supersedes the pending
/// code for the same purpose, and hands the code to the delivery queue.
/// </summary>
public sealed class CodeIssuer(
    ChallengeStore store,
    IdempotencyStore idempotency,
    DeliveryHandOff deliveryHandOff,
    DeliveryProtector protector,
    OtpHasher hasher,
    ExpiryIndex expiryIndex,
    SendBudgets budgets,
    ChallengeRules rules,
    OtpMetrics metrics,
    TimeProvider time,
    ILogger<CodeIssuer> logger)
{
    private readonly OtpOptions limits = rules.Limits;

    public async Task<Result<ChallengeView>> SendAsync(SendRequest request, Caller caller, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var activity = OtpTelemetry.Source.StartActivity("otp.send");
        activity?.SetTag("otp.channel", request.Destination.Channel.ToWire());
        activity?.SetTag("otp.purpose", request.Purpose);
        activity?.SetTag("otp.caller", caller.Name);
        if (idempotencyKey is null)
        {
            return await SendOnceAsync(request, caller, cancellationToken);
        }

        // Scoped to the caller and keyed: another caller's identical key is another record, and the stored key reveals nothing.
        idempotencyKey = hasher.IdempotencyKey(caller.IdempotencyScope, idempotencyKey);

        var now = time.GetUtcNow();
        // Keyed destination, not the destination itself: the stored fingerprint must not be reversible.
        var fingerprint = IdempotencyStore.Fingerprint(hasher.DestinationKey(request.Destination.Channel, request.Destination.Normalized), request.Purpose, request.Locale);
        var claim = await idempotency.ClaimAsync(idempotencyKey, fingerprint, now, now + limits.CodeLifetime, cancellationToken);

        // A twin request is still sending: wait for its answer rather than refuse at once.
        for (var wait = 0; claim.Kind == IdempotencyClaimKind.InProgress && wait < 20; wait++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            claim = await idempotency.ClaimAsync(idempotencyKey, fingerprint, now, now + limits.CodeLifetime, cancellationToken);
        }

        switch (claim.Kind)
        {
            case IdempotencyClaimKind.Replay:
                return JsonSerializer.Deserialize<ChallengeView>(claim.ResponseJson!, ApiResult.Json)!;
            case IdempotencyClaimKind.Mismatch:
                return ApiError.InvalidRequest("Idempotency-Key was already used with a different request body.");
            case IdempotencyClaimKind.InProgress:
                return ApiError.RateLimited(TimeSpan.FromSeconds(1), "A request with this Idempotency-Key is still in progress.");
        }

        Result<ChallengeView> result;
        try
        {
            await expiryIndex.AddAsync(claim.PartitionKey!, now + limits.CodeLifetime, cancellationToken);
            result = await SendOnceAsync(request, caller, cancellationToken);
        }
        catch
        {
            await idempotency.AbandonAsync(idempotencyKey, CancellationToken.None);
            throw;
        }

        if (result.Value is not { } view)
        {
            await idempotency.AbandonAsync(idempotencyKey, CancellationToken.None);
            return result;
        }

        try
        {
            await idempotency.CompleteAsync(idempotencyKey, fingerprint, JsonSerializer.Serialize(view, ApiResult.Json), now + limits.CodeLifetime, cancellationToken);
        }
        catch (Exception exception) when (ApiGuard.IsStorageFault(exception))
        {
            // The code is on its way: answer it. The key stays claimed, so a retry waits rather than sends twice.
            OtpLog.IdempotencyNotRecorded(logger, view.Id);
        }

        return result;
    }

    public async Task<Result<ChallengeView>> ResendAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        if (!ChallengeId.TryParse(id, out var challengeId))
        {
            return ApiError.NotFound();
        }

        // Refuse cheaply before reading the caller's budgets. The challenge and its destination's limit row share
        // a partition: one query reads both.
        var (stored, limit) = await store.GetChallengeAndLimitAsync(challengeId, cancellationToken);
        var first = CheckResendable(stored);
        if (first.Error is { } refusal)
        {
            return refusal;
        }

        // The allow-list may have shrunk since the first send (a pumping incident): no more codes to that country.
        if (first.Value!.Channel == Channel.Sms && first.Value.CallingCode is { } callingCode && !budgets.AllowsSmsTo(callingCode))
        {
            return CountryNotEnabled(callingCode);
        }

        if (DestinationRefusal(limit, "No sends are left for this destination in this window.") is { } destinationError)
        {
            return destinationError;
        }

        var budget = await budgets.CheckAsync(caller, first.Value.Channel == Channel.Sms ? first.Value.CallingCode : null, cancellationToken);
        if (BudgetRefusal(budget) is { } budgetError)
        {
            return budgetError;
        }

        // Counted beside the destination's transaction, not before it: one round trip fewer in sequence.
        var spend = budgets.SpendAsync(budget, cancellationToken);
        return await FileSweepUnlessHandedOffAsync(spend, () => ResendCheckedAsync(challengeId, first.Value, limit, spend, caller, cancellationToken));
    }

    private async Task<Result<ChallengeView>> ResendCheckedAsync(ChallengeId challengeId, Challenge firstChallenge, DestinationLimit firstLimit, Task<IReadOnlyList<SweepHint>> budgetSpend, Caller caller, CancellationToken cancellationToken)
    {
        for (var round = 0; round < ChallengeRules.MaxRounds; round++)
        {
            var (stored, limit) = round == 0 ? (firstChallenge, firstLimit) : await store.GetChallengeAndLimitAsync(challengeId, cancellationToken);
            var checkedChallenge = round == 0 ? firstChallenge : CheckResendable(stored);
            if (checkedChallenge.Error is { } error)
            {
                return error;
            }

            var challenge = checkedChallenge.Value!;
            var now = time.GetUtcNow();
            var window = limit.Window.Current(now, limits.SendWindow);
            if (DestinationRefusal(limit, "No sends are left for this destination in this window.") is { } destinationError)
            {
                return destinationError;
            }

            var code = NewCodeUnlike(challenge);
            var resent = challenge with
            {
                CodeHash = hasher.HashCode(challengeId.Value, code),
                CodeVersion = challenge.CodeVersion + 1,
                OperationId = Guid.NewGuid(),
                LastSentAt = now,
                ExpiresAt = now + limits.CodeLifetime,
            };
            var pending = PrunePending(limit, now);
            pending[challenge.Purpose] = new PendingChallenge(challengeId.Value, resent.ExpiresAt);
            var updatedLimit = limit with { Window = window.Add(), Pending = pending };
            if (await store.TrySaveResentChallengeAsync(updatedLimit, resent, rules.LimitPurgeAt(updatedLimit), cancellationToken) == SaveResult.Saved)
            {
                return await EnqueueResendAsync(resent, code, updatedLimit, budgetSpend, caller, cancellationToken);
            }

            await ChallengeRules.BackOffAsync(round, cancellationToken);
        }

        throw new ContentionException();
    }

    /// <summary>
    /// Three storage round trips in sequence: (1) the client's budgets and the destination's limit row, read
    /// together; (2) the budgets counted beside the destination's transaction; (3) the queue put. The queue put
    /// stays last: the delivery function must find the challenge it names.
    /// </summary>
    private async Task<Result<ChallengeView>> SendOnceAsync(SendRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var destination = request.Destination;
        if (destination.CallingCode is { } callingCode && !budgets.AllowsSmsTo(callingCode))
        {
            return CountryNotEnabled(callingCode);
        }

        var partitionKey = hasher.DestinationKey(destination.Channel, destination.Normalized);
        var budgetRead = budgets.CheckAsync(caller, destination.CallingCode, cancellationToken);
        var limitRead = store.GetDestinationLimitAsync(partitionKey, cancellationToken);
        await Task.WhenAll(budgetRead, limitRead);
        if (DestinationRefusal(limitRead.Result, DestinationFull) is { } destinationError)
        {
            return destinationError;
        }

        if (BudgetRefusal(budgetRead.Result) is { } budgetError)
        {
            return budgetError;
        }

        var spend = budgets.SpendAsync(budgetRead.Result, cancellationToken);
        return await FileSweepUnlessHandedOffAsync(spend, () => SaveNewAsync(request, partitionKey, limitRead.Result, spend, caller, cancellationToken));
    }

    private async Task<Result<ChallengeView>> SaveNewAsync(SendRequest request, string partitionKey, DestinationLimit firstLimit, Task<IReadOnlyList<SweepHint>> budgetSpend, Caller caller, CancellationToken cancellationToken)
    {
        var destination = request.Destination;
        var retireOld = true;
        for (var round = 0; round < ChallengeRules.MaxRounds; round++)
        {
            var now = time.GetUtcNow();
            var limit = round == 0 ? firstLimit : await store.GetDestinationLimitAsync(partitionKey, cancellationToken);
            var window = limit.Window.Current(now, limits.SendWindow);
            if (DestinationRefusal(limit, DestinationFull) is { } destinationError)
            {
                return destinationError;
            }

            var id = ChallengeId.Create(partitionKey, CodeGenerator.NewToken());
            var code = CodeGenerator.Generate(limits.CodeLength);
            var challenge = new Challenge
            {
                Id = id,
                Channel = destination.Channel,
                Purpose = request.Purpose,
                Locale = request.Locale,
                MaskedTo = destination.Masked,
                CallingCode = destination.CallingCode,
                SealedTo = protector.SealDestination(id.Value, destination.Normalized),
                CodeHash = hasher.HashCode(id.Value, code),
                CodeVersion = 1,
                OperationId = Guid.NewGuid(),
                CreatedAt = now,
                LastSentAt = now,
                ExpiresAt = now + limits.CodeLifetime,
                State = ChallengeState.Pending,
                FailedAttempts = 0,
            };
            var pending = PrunePending(limit, now);
            var superseded = retireOld && pending.TryGetValue(request.Purpose, out var previous) ? previous.ChallengeId : null;
            pending[request.Purpose] = new PendingChallenge(id.Value, challenge.ExpiresAt);
            var updatedLimit = limit with { Window = window.Add(), Pending = pending };

            switch (await store.TrySaveNewChallengeAsync(updatedLimit, challenge, superseded, rules.LimitPurgeAt(updatedLimit), cancellationToken))
            {
                case SaveResult.Saved:
                    await HandOffAsync(challenge, code, budgetSpend, cancellationToken);
                    metrics.Sent(challenge.Channel.ToWire(), challenge.Purpose, caller.Name);
                    Activity.Current?.SetTag("otp.challenge_id", id.Value);
                    OtpLog.CodeIssued(logger, id.Value, challenge.MaskedTo, challenge.Purpose, caller.Name, superseded is not null);
                    return View(challenge, updatedLimit.Window);
                case SaveResult.SupersededRowMissing:
                    retireOld = false;
                    continue;
                default:
                    await ChallengeRules.BackOffAsync(round, cancellationToken);
                    continue;
            }
        }

        throw new ContentionException();
    }

    private Result<Challenge> CheckResendable(Challenge? challenge)
    {
        var now = time.GetUtcNow();
        if (rules.Refusal(challenge, now, forVerify: false) is { } refusal)
        {
            return refusal;
        }

        // Sealed under an encryption key rotated out: the destination cannot be read again to resend to.
        if (!protector.CanOpenDestination(challenge!.SealedTo))
        {
            return ApiError.Expired();
        }

        var resendAfter = challenge.LastSentAt + limits.ResendCooldown;
        if (now < resendAfter)
        {
            return rules.RateLimited(RateLimitScope.Cooldown, resendAfter - now, "Wait before asking for another code.");
        }

        return challenge;
    }

    /// <summary>
    /// Budget windows opened by a request that then ends without a hand-off (refused, failed) must still be
    /// swept: their hints are filed here instead of travelling in a delivery message.
    /// </summary>
    private async Task<Result<ChallengeView>> FileSweepUnlessHandedOffAsync(Task<IReadOnlyList<SweepHint>> budgetSpend, Func<Task<Result<ChallengeView>>> send)
    {
        try
        {
            var result = await send();
            if (result.Error is not null && await budgetSpend is { Count: > 0 } sweep)
            {
                await expiryIndex.AddAsync(sweep, CancellationToken.None);
            }

            return result;
        }
        catch
        {
            // The count may have landed even though the send failed: its window must still be swept.
            await FileAsync(budgetSpend).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        async Task FileAsync(Task<IReadOnlyList<SweepHint>> spend)
        {
            if (await spend is { Count: > 0 } sweep)
            {
                await expiryIndex.AddAsync(sweep, CancellationToken.None);
            }
        }
    }

    private const string DestinationFull = "Too many codes sent to this destination; wait before asking again.";

    private static ApiError CountryNotEnabled(int callingCode) => ApiError.InvalidRequest($"SMS to +{callingCode} numbers is not enabled on this service.");

    /// <summary>
    /// The destination's own refusals (its send window, its failure block). Checked on the limit row read
    /// beside the budgets and before they are counted: a refused request must not spend the shared budgets,
    /// or a flood of refusals would drain the global SMS budget for everyone. The save loop checks again on
    /// each re-read; only a send racing another to the same destination can then end refused after counting.
    /// </summary>
    private ApiError? DestinationRefusal(DestinationLimit limit, string fullMessage)
    {
        var now = time.GetUtcNow();
        var window = limit.Window.Current(now, limits.SendWindow);
        return window.Count >= limits.MaxSendsPerDestination
            ? rules.RateLimited(RateLimitScope.Destination, window.End(limits.SendWindow) - now, fullMessage)
            : rules.FailureBlock(limit, now);
    }

    private ApiError? BudgetRefusal(BudgetCheck check) => check.RefusedBy is { } scope
        ? rules.RateLimited(scope, check.RetryAfter!.Value, BudgetFullMessage(scope))
        : null;

    private static string BudgetFullMessage(RateLimitScope scope) => scope switch
    {
        RateLimitScope.Ip => "Too many codes requested from this address; wait before asking again.",
        RateLimitScope.Caller => "This API key has used its send budget for this window; wait before asking again.",
        RateLimitScope.Country => "Too many codes sent to this country; wait before asking again.",
        _ => "The service is sending too many codes right now; wait before asking again.",
    };

    private async Task<Result<ChallengeView>> EnqueueResendAsync(Challenge resent, string code, DestinationLimit limit, Task<IReadOnlyList<SweepHint>> budgetSpend, Caller caller, CancellationToken cancellationToken)
    {
        await HandOffAsync(resent, code, budgetSpend, cancellationToken);
        metrics.Sent(resent.Channel.ToWire(), resent.Purpose, caller.Name);
        OtpLog.CodeResent(logger, resent.Id.Value, resent.MaskedTo, caller.Name, resent.CodeVersion);
        return View(resent, limit.Window);
    }

    /// <summary>
    /// Queues the code. The message also carries where the sweeper must look later (the destination's
    /// partition once everything in it can have expired, and newly opened budget windows): the queue
    /// function files those, keeping the index writes off the request path. Should the queue be
    /// unreachable, they are filed here before the error goes up.
    /// </summary>
    private async Task HandOffAsync(Challenge challenge, string code, Task<IReadOnlyList<SweepHint>> budgetSpend, CancellationToken cancellationToken)
    {
        var lastUse = challenge.ExpiresAt + Max(ChallengeEntity.Retention, limits.SessionLifetime, limits.FailureWindow);
        var sweep = new List<SweepHint>(4) { new(challenge.Id.PartitionKey, lastUse) };
        try
        {
            // The budgets were counted beside the transaction; a count that failed (storage down) fails the send
            // here, before the code leaves, as it did when budgets were counted first.
            sweep.AddRange(await budgetSpend);
            await deliveryHandOff.EnqueueAsync(challenge, code, sweep, cancellationToken);
        }
        catch
        {
            // The client gets a 503 and never learns this challenge's id; the status row says what happened
            // and the index still lets the sweeper remove it. Both are best effort: storage may be what failed.
            await Task.WhenAll(
                expiryIndex.AddAsync(sweep, CancellationToken.None),
                store.UpdateDeliveryAsync(challenge.Id, challenge.CodeVersion, new DeliveryState(DeliveryStatus.Failed, time.GetUtcNow(), "could not be queued", null, 0), CancellationToken.None))
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    private static TimeSpan Max(params TimeSpan[] spans) => spans.Max();

    private string NewCodeUnlike(Challenge challenge)
    {
        string code;
        do
        {
            code = CodeGenerator.Generate(limits.CodeLength);
        }
        while (hasher.CodeMatches(challenge.Id.Value, code, challenge.CodeHash));
        return code;
    }

    private ChallengeView View(Challenge challenge, RateWindow window) => new(
        challenge.Id.Value,
        challenge.Channel.ToWire(),
        challenge.MaskedTo,
        "pending",
        challenge.ExpiresAt,
        CeilingToSecond(challenge.LastSentAt + limits.ResendCooldown),
        rules.AttemptsLeft(challenge),
        rules.SendsLeft(window));

    // Times are shown to the second and rounded down, except this one: a client that waits until it must not be refused.
    private static DateTimeOffset CeilingToSecond(DateTimeOffset at) =>
        new(((at.UtcTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond) * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private static Dictionary<string, PendingChallenge> PrunePending(DestinationLimit limit, DateTimeOffset now) =>
        limit.Pending.Where(pair => pair.Value.ExpiresAt > now).ToDictionary(StringComparer.Ordinal);
}
