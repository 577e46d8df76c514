using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery;
using OtpFunctions.Http;
using OtpFunctions.Security;
using OtpFunctions.Sessions;
using OtpFunctions.Telemetry;
using OtpFunctions.Webhooks;

namespace OtpFunctions.Verifying;

/// <summary>
/// Checks codes (<c>POST /api/otp/{id}/verify</c>): a right code is consumed and buys a session in one
/// transaction; a wrong one is counted on the challenge and on its destination in one transaction.
/// </summary>
public sealed class CodeVerifier(
    ChallengeStore store,
    SessionStore sessions,
    OtpHasher hasher,
    SessionTokens tokens,
    ChallengeRules rules,
    OtpMetrics metrics,
    WebhookPublisher webhooks,
    TimeProvider time,
    ILogger<CodeVerifier> logger)
{
    private readonly OtpOptions limits = rules.Limits;

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

    private async Task<Result<ApprovedView>> VerifyCoreAsync(string id, string code, CancellationToken cancellationToken)
    {
        if (!ChallengeId.TryParse(id, out var challengeId))
        {
            return ApiError.NotFound();
        }

        SessionRecord? attempted = null;
        for (var round = 0; round < ChallengeRules.MaxRounds; round++)
        {
            var (challenge, limit) = await store.GetChallengeAndLimitAsync(challengeId, cancellationToken);
            var now = time.GetUtcNow();

            // Our approval may have committed even though its answer was lost (the SDK then retried and got 412):
            // the session row we tried to add tells.
            if (challenge?.State == ChallengeState.Approved && attempted is not null
                && await sessions.GetAsync(attempted.PartitionKey, attempted.TokenId, cancellationToken) is not null)
            {
                webhooks.Publish(WebhookEvents.VerificationApproved, challenge);
                return new ApprovedView("approved", new SessionTokenView(tokens.Issue(attempted), attempted.ExpiresAt));
            }

            if (rules.Refusal(challenge, now, forVerify: true) is { } refusal)
            {
                return refusal;
            }

            var failures = limit.Failures.Current(now, limits.FailureWindow);
            if (failures.Count >= limits.MaxFailuresPerDestination)
            {
                return ApiError.Locked() with { Message = "Too many wrong codes for this destination; try again later." };
            }

            var channel = challenge!.Channel.ToWire();
            if (hasher.CodeMatches(challengeId.Value, code, challenge.CodeHash))
            {
                var approved = challenge with { State = ChallengeState.Approved, VerifiedAt = now };
                var session = new SessionRecord(challengeId.PartitionKey + CodeGenerator.NewToken(), challengeId.PartitionKey, challenge.MaskedTo, challenge.Channel, challenge.Purpose, challengeId.Value, now, now + limits.SessionLifetime);
                // Touch the limit row only when there are failures to forget, so a verify does not race sends needlessly.
                var cleared = limit.Failures.Count > 0 ? limit with { Failures = RateWindow.Empty } : null;
                if (await store.TryApproveAsync(approved, session, cleared, cleared is null ? default : rules.LimitPurgeAt(cleared), cancellationToken))
                {
                    metrics.Verified(channel, challenge.Purpose);
                    OtpLog.CodeVerified(logger, challengeId.Value, challenge.MaskedTo);
                    // After the answer is decided and without awaiting: a webhook never slows or fails a verify.
                    webhooks.Publish(WebhookEvents.VerificationApproved, challenge);
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
                if (await store.TryCountFailureAsync(counted, countedLimit, rules.LimitPurgeAt(countedLimit), cancellationToken))
                {
                    metrics.Failed(channel, challenge.Purpose);
                    if (lockedNow)
                    {
                        metrics.Locked(channel, challenge.Purpose);
                        OtpLog.ChallengeLocked(logger, challengeId.Value, challenge.MaskedTo);
                        webhooks.Publish(WebhookEvents.VerificationLocked, challenge);
                    }

                    return ApiError.InvalidCode(rules.AttemptsLeft(counted));
                }
            }

            await ChallengeRules.BackOffAsync(round, cancellationToken);
        }

        throw new ContentionException();
    }
}
