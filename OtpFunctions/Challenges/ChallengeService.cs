using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpFunctions.Delivery;
using OtpFunctions.Infrastructure;
using OtpFunctions.Sessions;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Challenges;

/// <summary>
/// Issues, resends, verifies and cancels codes. Every state change is read, decide, then an ETag-guarded
/// write; losing a race (412) means reading again and deciding again, so no attempt or send is lost.
/// </summary>
public sealed class ChallengeService(
    ChallengeStore store,
    IdempotencyStore idempotency,
    DeliveryHandOff deliveryHandOff,
    DeliveryProtector protector,
    OtpHasher hasher,
    SessionTokens tokens,
    ExpiryIndex expiryIndex,
    SendBudgets budgets,
    OtpMetrics metrics,
    IOptions<OtpOptions> options,
    TimeProvider time,
    ILogger<ChallengeService> logger)
{
    // Twenty racing requests settle within twenty rounds; the margin covers jittered retries.
    private const int MaxRounds = 64;

    private readonly OtpOptions limits = options.Value;

    public async Task<Result<ChallengeView>> SendAsync(SendRequest request, string? clientIp, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var activity = OtpTelemetry.Source.StartActivity("otp.send");
        activity?.SetTag("otp.channel", ChannelName(request.Destination.Channel));
        activity?.SetTag("otp.purpose", request.Purpose);
        if (idempotencyKey is null)
        {
            return await SendOnceAsync(request, clientIp, cancellationToken);
        }

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
            result = await SendOnceAsync(request, clientIp, cancellationToken);
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

    public async Task<Result<ChallengeView>> ResendAsync(string id, string? clientIp, CancellationToken cancellationToken)
    {
        if (!ChallengeId.TryParse(id, out var challengeId))
        {
            return ApiError.NotFound();
        }

        // Refuse cheaply before charging the caller's IP budget.
        var first = await CheckResendableAsync(challengeId, cancellationToken);
        if (first.Error is { } refusal)
        {
            return refusal;
        }

        var budget = await SpendBudgetsAsync(clientIp, first.Value!.Channel == Channel.Sms ? first.Value.CallingCode : null, cancellationToken);
        if (budget.Error is { } budgetError)
        {
            return budgetError;
        }

        return await FileSweepUnlessHandedOffAsync(budget.Value!, () => ResendCheckedAsync(challengeId, first, budget.Value!, cancellationToken));
    }

    private async Task<Result<ChallengeView>> ResendCheckedAsync(ChallengeId challengeId, Result<Challenge> first, IReadOnlyList<SweepHint> budgetSweep, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var checkedChallenge = round == 0 ? first : await CheckResendableAsync(challengeId, cancellationToken);
            if (checkedChallenge.Error is { } error)
            {
                return error;
            }

            var challenge = checkedChallenge.Value!;
            var now = time.GetUtcNow();
            var limit = await store.GetDestinationLimitAsync(challengeId.PartitionKey, cancellationToken);
            var window = limit.Window.Current(now, limits.SendWindow);
            if (window.Count >= limits.MaxSendsPerDestination)
            {
                return RateLimited("destination", window.End(limits.SendWindow) - now, "No sends are left for this destination in this window.");
            }

            if (FailureBlock(limit, now) is { } blocked)
            {
                return blocked;
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
            if (await store.TrySaveResentChallengeAsync(updatedLimit, resent, LimitPurgeAt(updatedLimit), cancellationToken) == SaveResult.Saved)
            {
                return await EnqueueResendAsync(resent, code, updatedLimit, budgetSweep, cancellationToken);
            }

            await BackOffAsync(round, cancellationToken);
        }

        throw new ContentionException();
    }

    public async Task<Result<ApprovedView>> VerifyAsync(string id, string code, CancellationToken cancellationToken)
    {
        using var activity = OtpTelemetry.Source.StartActivity("otp.verify");
        activity?.SetTag("otp.challenge_id", id);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await VerifyCoreAsync(id, code, cancellationToken);
        }
        finally
        {
            metrics.VerifyDuration(Stopwatch.GetElapsedTime(started));
        }
    }

    public async Task<Result<ChallengeStatusView>> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!ChallengeId.TryParse(id, out var challengeId))
        {
            return ApiError.NotFound();
        }

        var (challenge, limit) = await store.GetStatusAsync(challengeId, cancellationToken);
        if (challenge is null)
        {
            return ApiError.NotFound();
        }

        var now = time.GetUtcNow();
        return new ChallengeStatusView(
            challenge.Id.Value,
            ChannelName(challenge.Channel),
            challenge.MaskedTo,
            challenge.PublicStatus(now),
            new DeliveryView(challenge.Delivery!.Status, challenge.Delivery.UpdatedAt, challenge.Delivery.Error),
            challenge.ExpiresAt,
            AttemptsLeft(challenge),
            SendsLeft(limit.Window.Current(now, limits.SendWindow)));
    }

    public async Task<Result<bool>> CancelAsync(string id, CancellationToken cancellationToken)
    {
        if (!ChallengeId.TryParse(id, out var challengeId))
        {
            return ApiError.NotFound();
        }

        for (var round = 0; round < MaxRounds; round++)
        {
            var challenge = await store.GetChallengeAsync(challengeId, cancellationToken);
            if (challenge is null)
            {
                return ApiError.NotFound();
            }

            // A used or already cancelled challenge stays as it is (not an error); a pending or locked one ends here,
            // so a verify afterwards answers 410 as api.md says.
            if (challenge.State is ChallengeState.Approved or ChallengeState.Canceled || await store.TryReplaceChallengeAsync(challenge with { State = ChallengeState.Canceled }, cancellationToken))
            {
                OtpLog.ChallengeCanceled(logger, challenge.Id.Value, challenge.MaskedTo);
                return true;
            }

            await BackOffAsync(round, cancellationToken);
        }

        throw new ContentionException();
    }

    private async Task<Result<ChallengeView>> SendOnceAsync(SendRequest request, string? clientIp, CancellationToken cancellationToken)
    {
        var destination = request.Destination;
        if (destination.CallingCode is { } callingCode && !budgets.AllowsSmsTo(callingCode))
        {
            return ApiError.InvalidRequest($"SMS to +{callingCode} numbers is not enabled on this service.");
        }

        var budget = await SpendBudgetsAsync(clientIp, destination.CallingCode, cancellationToken);
        if (budget.Error is { } budgetError)
        {
            return budgetError;
        }

        return await FileSweepUnlessHandedOffAsync(budget.Value!, () => SaveNewAsync(request, budget.Value!, cancellationToken));
    }

    private async Task<Result<ChallengeView>> SaveNewAsync(SendRequest request, IReadOnlyList<SweepHint> budgetSweep, CancellationToken cancellationToken)
    {
        var destination = request.Destination;
        var partitionKey = hasher.DestinationKey(destination.Channel, destination.Normalized);
        var retireOld = true;
        for (var round = 0; round < MaxRounds; round++)
        {
            var now = time.GetUtcNow();
            var limit = await store.GetDestinationLimitAsync(partitionKey, cancellationToken);
            var window = limit.Window.Current(now, limits.SendWindow);
            if (window.Count >= limits.MaxSendsPerDestination)
            {
                return RateLimited("destination", window.End(limits.SendWindow) - now, "Too many codes sent to this destination; wait before asking again.");
            }

            if (FailureBlock(limit, now) is { } blocked)
            {
                return blocked;
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

            switch (await store.TrySaveNewChallengeAsync(updatedLimit, challenge, superseded, LimitPurgeAt(updatedLimit), cancellationToken))
            {
                case SaveResult.Saved:
                    await HandOffAsync(challenge, code, budgetSweep, cancellationToken);
                    metrics.Sent(ChannelName(challenge.Channel), challenge.Purpose);
                    Activity.Current?.SetTag("otp.challenge_id", id.Value);
                    OtpLog.CodeIssued(logger, id.Value, challenge.MaskedTo, challenge.Purpose, superseded is not null);
                    return View(challenge, updatedLimit.Window);
                case SaveResult.SupersededRowMissing:
                    retireOld = false;
                    continue;
                default:
                    await BackOffAsync(round, cancellationToken);
                    continue;
            }
        }

        throw new ContentionException();
    }

    private async Task<Result<ApprovedView>> VerifyCoreAsync(string id, string code, CancellationToken cancellationToken)
    {
        if (!ChallengeId.TryParse(id, out var challengeId))
        {
            return ApiError.NotFound();
        }

        SessionRecord? attempted = null;
        for (var round = 0; round < MaxRounds; round++)
        {
            var (challenge, limit) = await store.GetChallengeAndLimitAsync(challengeId, cancellationToken);
            var now = time.GetUtcNow();

            // Our approval may have committed even though its answer was lost (the SDK then retried and got 412):
            // the session row we tried to add tells.
            if (challenge?.State == ChallengeState.Approved && attempted is not null
                && await store.GetSessionAsync(attempted.PartitionKey, attempted.TokenId, cancellationToken) is not null)
            {
                return new ApprovedView("approved", new SessionTokenView(tokens.Issue(attempted), attempted.ExpiresAt));
            }

            if (Refusal(challenge, now, forVerify: true) is { } refusal)
            {
                return refusal;
            }

            var failures = limit.Failures.Current(now, limits.FailureWindow);
            if (failures.Count >= limits.MaxFailuresPerDestination)
            {
                return ApiError.Locked() with { Message = "Too many wrong codes for this destination; try again later." };
            }

            var channel = ChannelName(challenge!.Channel);
            if (hasher.CodeMatches(challengeId.Value, code, challenge.CodeHash))
            {
                var approved = challenge with { State = ChallengeState.Approved, VerifiedAt = now };
                var session = new SessionRecord(challengeId.PartitionKey + CodeGenerator.NewToken(), challengeId.PartitionKey, challenge.MaskedTo, challenge.Channel, challenge.Purpose, challengeId.Value, now, now + limits.SessionLifetime);
                // Touch the limit row only when there are failures to forget, so a verify does not race sends needlessly.
                var cleared = limit.Failures.Count > 0 ? limit with { Failures = RateWindow.Empty } : null;
                if (await store.TryApproveAsync(approved, session, cleared, cleared is null ? default : LimitPurgeAt(cleared), cancellationToken))
                {
                    metrics.Verified(channel, challenge.Purpose);
                    OtpLog.CodeVerified(logger, challengeId.Value, challenge.MaskedTo);
                    return new ApprovedView("approved", new SessionTokenView(tokens.Issue(session), session.ExpiresAt));
                }

                attempted = session;
            }
            else
            {
                var attempts = challenge.FailedAttempts + 1;
                var lockedNow = attempts >= limits.MaxVerifyAttempts;
                var counted = challenge with { FailedAttempts = attempts, State = lockedNow ? ChallengeState.Locked : ChallengeState.Pending };
                var countedLimit = limit with { Failures = failures.Add() };
                if (await store.TryCountFailureAsync(counted, countedLimit, LimitPurgeAt(countedLimit), cancellationToken))
                {
                    metrics.Failed(channel, challenge.Purpose);
                    if (lockedNow)
                    {
                        metrics.Locked(channel, challenge.Purpose);
                        OtpLog.ChallengeLocked(logger, challengeId.Value, challenge.MaskedTo);
                    }

                    return ApiError.InvalidCode(AttemptsLeft(counted));
                }
            }

            await BackOffAsync(round, cancellationToken);
        }

        throw new ContentionException();
    }

    private async Task<Result<Challenge>> CheckResendableAsync(ChallengeId id, CancellationToken cancellationToken)
    {
        var challenge = await store.GetChallengeAsync(id, cancellationToken);
        var now = time.GetUtcNow();
        if (Refusal(challenge, now, forVerify: false) is { } refusal)
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
            return RateLimited("cooldown", resendAfter - now, "Wait before asking for another code.");
        }

        return challenge;
    }

    /// <summary>The api.md error for a challenge that cannot take a verify or resend, or null if it can.</summary>
    private ApiError? Refusal(Challenge? challenge, DateTimeOffset now, bool forVerify)
    {
        if (challenge is null)
        {
            return ApiError.NotFound();
        }

        switch (challenge.State)
        {
            case ChallengeState.Approved:
                return ApiError.AlreadyVerified();
            case ChallengeState.Canceled:
                return ApiError.Expired();
        }

        // An expired challenge is over for resends too: api.md asks for a new POST /api/otp. So is a code
        // hashed under a pepper no longer configured: it can never match, and must not cost an attempt.
        if (challenge.IsExpired(now) || (forVerify && !hasher.CanCheck(challenge.CodeHash)))
        {
            if (forVerify)
            {
                metrics.Expired(ChannelName(challenge.Channel), challenge.Purpose);
            }

            return ApiError.Expired();
        }

        return challenge.State == ChallengeState.Locked ? ApiError.Locked() : null;
    }

    /// <summary>
    /// Budget windows opened by a request that then ends without a hand-off (refused, failed) must still be
    /// swept: their hints are filed here instead of travelling in a delivery message.
    /// </summary>
    private async Task<Result<ChallengeView>> FileSweepUnlessHandedOffAsync(IReadOnlyList<SweepHint> sweep, Func<Task<Result<ChallengeView>>> send)
    {
        try
        {
            var result = await send();
            if (result.Error is not null && sweep.Count > 0)
            {
                await expiryIndex.AddAsync(sweep, CancellationToken.None);
            }

            return result;
        }
        catch when (sweep.Count > 0)
        {
            await expiryIndex.AddAsync(sweep, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    private async Task<Result<IReadOnlyList<SweepHint>>> SpendBudgetsAsync(string? clientIp, int? smsCallingCode, CancellationToken cancellationToken)
    {
        var result = await budgets.ConsumeAsync(clientIp, smsCallingCode, cancellationToken);
        if (result.RefusedBy is not null && result.Sweep.Count > 0)
        {
            await expiryIndex.AddAsync(result.Sweep, cancellationToken);
        }

        return result.RefusedBy switch
        {
            null => new Result<IReadOnlyList<SweepHint>>(result.Sweep, null),
            "ip" => RateLimited("ip", result.RetryAfter!.Value, "Too many codes requested from this address; wait before asking again."),
            "country" => RateLimited("country", result.RetryAfter!.Value, "Too many codes sent to this country; wait before asking again."),
            _ => RateLimited(result.RefusedBy, result.RetryAfter!.Value, "The service is sending too many codes right now; wait before asking again."),
        };
    }

    private async Task<Result<ChallengeView>> EnqueueResendAsync(Challenge resent, string code, DestinationLimit limit, IReadOnlyList<SweepHint> budgetSweep, CancellationToken cancellationToken)
    {
        await HandOffAsync(resent, code, budgetSweep, cancellationToken);
        metrics.Sent(ChannelName(resent.Channel), resent.Purpose);
        OtpLog.CodeResent(logger, resent.Id.Value, resent.MaskedTo, resent.CodeVersion);
        return View(resent, limit.Window);
    }

    /// <summary>
    /// Queues the code. The message also carries where the sweeper must look later (the destination's
    /// partition once everything in it can have expired, and newly opened budget windows): the queue
    /// function files those, keeping the index writes off the request path. Should the queue be
    /// unreachable, they are filed here before the error goes up.
    /// </summary>
    private async Task HandOffAsync(Challenge challenge, string code, IReadOnlyList<SweepHint> budgetSweep, CancellationToken cancellationToken)
    {
        var lastUse = challenge.ExpiresAt + Max(ChallengeEntity.Retention, limits.SessionLifetime, limits.FailureWindow);
        SweepHint[] sweep = [new(challenge.Id.PartitionKey, lastUse), .. budgetSweep];
        try
        {
            await deliveryHandOff.EnqueueAsync(challenge, code, sweep, cancellationToken);
        }
        catch
        {
            // The client gets a 503 and never learns this challenge's id; the status row says what happened
            // and the index still lets the sweeper remove it. Both are best effort: storage may be what failed.
            await Task.WhenAll(
                expiryIndex.AddAsync(sweep, CancellationToken.None),
                store.UpdateDeliveryAsync(challenge.Id, challenge.CodeVersion, new DeliveryState(DeliveryState.Failed, time.GetUtcNow(), "could not be queued", null, 0), CancellationToken.None))
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    private ApiError? FailureBlock(DestinationLimit limit, DateTimeOffset now)
    {
        var failures = limit.Failures.Current(now, limits.FailureWindow);
        return failures.Count >= limits.MaxFailuresPerDestination
            ? RateLimited("failures", failures.End(limits.FailureWindow) - now, "Too many wrong codes for this destination; try again later.")
            : null;
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
        ChannelName(challenge.Channel),
        challenge.MaskedTo,
        "pending",
        challenge.ExpiresAt,
        CeilingToSecond(challenge.LastSentAt + limits.ResendCooldown),
        AttemptsLeft(challenge),
        SendsLeft(window));

    // Times are shown to the second and rounded down, except this one: a client that waits until it must not be refused.
    private static DateTimeOffset CeilingToSecond(DateTimeOffset at) =>
        new(((at.UtcTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond) * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private ApiError RateLimited(string scope, TimeSpan retryAfter, string message)
    {
        metrics.RateLimited(scope);
        OtpLog.RateLimited(logger, scope, ApiError.Seconds(retryAfter));
        return ApiError.RateLimited(retryAfter, message);
    }

    private int AttemptsLeft(Challenge challenge) => Math.Max(0, limits.MaxVerifyAttempts - challenge.FailedAttempts);

    private int SendsLeft(RateWindow window) => Math.Max(0, limits.MaxSendsPerDestination - window.Count);

    private static Dictionary<string, PendingChallenge> PrunePending(DestinationLimit limit, DateTimeOffset now) =>
        limit.Pending.Where(pair => pair.Value.ExpiresAt > now).ToDictionary(StringComparer.Ordinal);

    private DateTimeOffset LimitPurgeAt(DestinationLimit limit)
    {
        var end = limit.Window.End(limits.SendWindow);
        if (limit.Failures.Count > 0 && limit.Failures.End(limits.FailureWindow) > end)
        {
            end = limit.Failures.End(limits.FailureWindow);
        }

        foreach (var pending in limit.Pending.Values)
        {
            end = pending.ExpiresAt > end ? pending.ExpiresAt : end;
        }

        return end;
    }

    private static string ChannelName(Channel channel) => channel == Channel.Sms ? "sms" : "email";

    private static Task BackOffAsync(int round, CancellationToken cancellationToken) =>
        round < 2 ? Task.CompletedTask : Task.Delay(Random.Shared.Next(1, 5 * Math.Min(round, 10)), cancellationToken);
}

/// <summary>A row stayed contended beyond reason; surfaces as 503 so the client retries.</summary>
public sealed class ContentionException() : Exception("Storage contention did not settle.");
