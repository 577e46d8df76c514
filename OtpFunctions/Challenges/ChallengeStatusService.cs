using OtpFunctions.Configuration;
using OtpFunctions.Storage;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Challenges;

/// <summary>Reports on a challenge (<c>GET /api/otp/{id}</c>) and cancels it (<c>DELETE /api/otp/{id}</c>).</summary>
public sealed class ChallengeStatusService(ChallengeStore store, ChallengeViews views, IOptions<OtpOptions> options, TimeProvider time, ILogger<ChallengeStatusService> logger)
{
    private readonly OtpOptions limits = options.Value;

    public async Task<Result<ChallengeStatusView>> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!ChallengeId.TryParse(id, out var challengeId))
        {
            return ApiError.NotFound();
        }

        var (challenge, limit) = await store.GetStatusAsync(challengeId, cancellationToken);
        if (challenge is null || challenge.Relayed)
        {
            return ApiError.NotFound();
        }

        var now = time.GetUtcNow();
        return new ChallengeStatusView(
            challenge.Id.Value,
            challenge.Channel.ToWire(),
            challenge.MaskedTo,
            challenge.PublicStatus(now),
            DeliveryViewOf(challenge),
            challenge.ExpiresAt,
            views.AttemptsLeft(challenge),
            views.SendsLeft(limit.Window.Current(now, limits.SendWindow)));
    }

    private static DeliveryView DeliveryViewOf(Challenge challenge)
    {
        var delivery = challenge.Delivery!;
        return new DeliveryView(
            delivery.Status.ToWire(),
            challenge.DeliveryChannel.ToWire(),
            delivery.UpdatedAt,
            delivery.Error,
            delivery.AttemptsOn(challenge.Channel).Select(a => new DeliveryAttemptView(a.Channel.ToWire(), a.Status.ToWire(), a.At, a.Error)).ToArray());
    }

    public async Task<Result<bool>> CancelAsync(string id, CancellationToken cancellationToken)
    {
        if (!ChallengeId.TryParse(id, out var challengeId))
        {
            return ApiError.NotFound();
        }

        for (var round = 0; ; round++)
        {
            var challenge = await store.GetChallengeAsync(challengeId, cancellationToken);
            if (challenge is null || challenge.Relayed)
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

            await Contention.LostRaceAsync(round, cancellationToken);
        }
    }
}
