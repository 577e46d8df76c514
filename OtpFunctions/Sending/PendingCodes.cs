using OtpFunctions.Challenges;
using OtpFunctions.Storage;

namespace OtpFunctions.Sending;

/// <summary>
/// Stores a code as its destination's pending one for its purpose, in one transaction with the destination's
/// counted send; a new code also retires (supersedes) the pending code it replaces. A lost race reads again and
/// decides again.
/// </summary>
public sealed class PendingCodes(ChallengeStore store, DestinationRule destinations, CodeMinter minter, ChallengeRefusals refusals, ChallengeViews views, TimeProvider time)
{
    public async Task<Result<SavedCode>> SaveNewAsync(SendRequest request, DestinationLimit firstLimit, CancellationToken cancellationToken)
    {
        var retireOld = true;
        for (var round = 0; ; round++)
        {
            var limit = round == 0 ? firstLimit : await store.GetDestinationLimitAsync(firstLimit.PartitionKey, cancellationToken);
            if (destinations.Refusal(limit, DestinationRule.FullForNewCode) is { } refusal)
            {
                return refusal;
            }

            var minted = minter.New(request, limit.PartitionKey);
            var counted = destinations.Count(limit, request.Purpose, PendingOf(minted.Challenge), minted.Challenge.LastSentAt, retireOld);
            switch (await store.TrySaveNewChallengeAsync(counted.Limit, minted.Challenge, counted.Superseded, counted.PurgeAt, cancellationToken))
            {
                case SaveResult.Saved:
                    return new SavedCode(minted, views.View(minted.Challenge, counted.Limit.Window), counted.Superseded is not null);
                case SaveResult.SupersededRowMissing:
                    retireOld = false;
                    continue;
                default:
                    await Contention.LostRaceAsync(round, cancellationToken);
                    continue;
            }
        }
    }

    /// <summary>
    /// A code another sign-in service generated and checks itself (<see cref="Challenge.Relayed"/>), made by
    /// <paramref name="relayed"/> in the destination's partition and stored with its counted send. It takes no pending
    /// pointer: nothing here supersedes it, and it supersedes nothing.
    /// </summary>
    public async Task<Result<SavedCode>> SaveRelayedAsync(Func<string, MintedCode> relayed, DestinationLimit firstLimit, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            var limit = round == 0 ? firstLimit : await store.GetDestinationLimitAsync(firstLimit.PartitionKey, cancellationToken);
            if (destinations.Refusal(limit, DestinationRule.FullForNewCode) is { } refusal)
            {
                return refusal;
            }

            var minted = relayed(limit.PartitionKey);
            var counted = destinations.CountRelayed(limit, minted.Challenge.LastSentAt);
            if (await store.TrySaveNewChallengeAsync(counted.Limit, minted.Challenge, supersededId: null, counted.PurgeAt, cancellationToken) == SaveResult.Saved)
            {
                return new SavedCode(minted, views.View(minted.Challenge, counted.Limit.Window), SupersededOld: false);
            }

            await Contention.LostRaceAsync(round, cancellationToken);
        }
    }

    /// <summary>The challenge if it can take another code now, with its destination's limit row: they share a partition, so one query reads both.</summary>
    public async Task<Result<(Challenge Challenge, DestinationLimit Limit)>> ReadResendableAsync(ChallengeId id, CancellationToken cancellationToken)
    {
        var (stored, limit) = await store.GetChallengeAndLimitAsync(id, cancellationToken);
        var resendable = CheckResendable(stored);
        return resendable.Error is { } refusal ? refusal : (resendable.Value!, limit);
    }

    /// <summary>A new code version for a challenge <see cref="ReadResendableAsync"/> found resendable, read again after a lost race.</summary>
    public async Task<Result<SavedCode>> SaveResentAsync(Challenge first, DestinationLimit firstLimit, Channel? switchTo, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            var read = round == 0 ? (first, firstLimit) : await ReadResendableAsync(first.Id, cancellationToken);
            if (read.Error is { } refusal)
            {
                return refusal;
            }

            var (challenge, limit) = read.Value;
            if (destinations.Refusal(limit, DestinationRule.FullForResend) is { } full)
            {
                return full;
            }

            var minted = minter.Again(OnChannel(challenge, switchTo));
            var counted = destinations.Count(limit, challenge.Purpose, PendingOf(minted.Challenge), minted.Challenge.LastSentAt, retireOld: false);
            if (await store.TrySaveResentChallengeAsync(counted.Limit, minted.Challenge, counted.PurgeAt, cancellationToken) == SaveResult.Saved)
            {
                return new SavedCode(minted, views.View(minted.Challenge, counted.Limit.Window), SupersededOld: false);
            }

            await Contention.LostRaceAsync(round, cancellationToken);
        }
    }

    private Result<Challenge> CheckResendable(Challenge? challenge)
    {
        var now = time.GetUtcNow();
        if (refusals.Refusal(challenge, now, forVerify: false) is { } refusal)
        {
            return refusal;
        }

        if (!minter.CanReach(challenge!))
        {
            return ApiError.Expired();
        }

        return refusals.Cooldown(challenge!, now) is { } cooldown ? cooldown : challenge!;
    }

    /// <summary>
    /// The challenge moved to <paramref name="channel"/> (when given): its later codes go there first, and its
    /// fallback keeps the other channels it named, in order.
    /// </summary>
    public static Challenge OnChannel(Challenge challenge, Channel? channel) =>
        channel is not { } switched || switched == challenge.Channel
            ? challenge
            : challenge with { Channel = switched, Fallback = challenge.Fallback.Where(c => c != switched).ToArray() };

    private static PendingChallenge PendingOf(Challenge challenge) => new(challenge.Id.Value, challenge.ExpiresAt);
}

/// <summary>A stored code, the 202 body that announces it, and whether it superseded an older pending code.</summary>
public sealed record SavedCode(MintedCode Minted, ChallengeView View, bool SupersededOld)
{
    public Challenge Challenge => Minted.Challenge;
}
