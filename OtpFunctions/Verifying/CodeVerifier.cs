using System.Diagnostics;
using OtpFunctions.Challenges;
using OtpFunctions.Sessions;
using OtpFunctions.Storage;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Verifying;

/// <summary>
/// Checks codes (<c>POST /api/otp/{id}/verify</c>): a right code is consumed and buys a session in one
/// transaction; a wrong one is counted on the challenge and on its destination in one transaction.
/// </summary>
public sealed class CodeVerifier(ChallengeStore store, CodeCheck check, CodeApproval approval, WrongCodes wrongCodes, OtpMetrics metrics)
{
    public async Task<Result<ApprovedView>> VerifyAsync(string id, string code, CancellationToken cancellationToken)
    {
        using var activity = OtpTelemetry.Source.StartActivity("otp.verify");
        activity?.SetTag("otp.challenge_id", id);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return ChallengeId.TryParse(id, out var challengeId) ? await VerifyCoreAsync(challengeId, code, cancellationToken) : ApiError.NotFound();
        }
        finally
        {
            metrics.VerifyDuration(Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<Result<ApprovedView>> VerifyCoreAsync(ChallengeId id, string code, CancellationToken cancellationToken)
    {
        SessionRecord? attempted = null;
        for (var round = 0; ; round++)
        {
            var (challenge, limit) = await store.GetChallengeAndLimitAsync(id, cancellationToken);
            if (await approval.FindLostApprovalAsync(challenge, attempted, cancellationToken) is { } found)
            {
                return found;
            }

            var verdict = check.Check(id, code, challenge, limit);
            if (verdict.Error is { } refusal)
            {
                return refusal;
            }

            if (verdict.Value!.Matches)
            {
                (var answer, attempted) = await approval.TryApproveAsync(challenge!, limit, verdict.Value.Now, cancellationToken);
                if (answer is not null)
                {
                    return answer;
                }
            }
            else if (await wrongCodes.TryCountAsync(challenge!, limit, verdict.Value.Failures, cancellationToken) is { } wrong)
            {
                return wrong;
            }

            await Contention.LostRaceAsync(round, cancellationToken);
        }
    }
}
