using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Http;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Sending;

/// <summary>
/// Where the sweeper must look after a send: the destination's partition once everything in it can have expired,
/// and the budget windows the send opened. They travel in the delivery message, whose function files them off the
/// request path; a send that ends without a hand-off files them here.
/// </summary>
public sealed class SweepFiling(ExpiryIndex expiryIndex, ChallengeRules rules)
{
    private readonly OtpOptions limits = rules.Limits;

    /// <summary>The destination's partition, once the challenge, the session it may buy and the failure count it may leave are all over.</summary>
    public SweepHint PartitionOf(Challenge challenge) =>
        new(challenge.Id.PartitionKey, challenge.ExpiresAt + new[] { ChallengeEntity.Retention, limits.SessionLifetime, limits.FailureWindow }.Max());

    public Task FileAsync(IEnumerable<SweepHint> hints) => expiryIndex.AddAsync(hints, CancellationToken.None);

    /// <summary>
    /// Runs <paramref name="send"/>. Budget windows opened by a send that then ends without a hand-off (refused,
    /// failed) must still be swept: their hints are filed here instead of travelling in a delivery message.
    /// </summary>
    public async Task<Result<ChallengeView>> FileUnlessHandedOffAsync(Task<BudgetSpend> budgetSpend, Func<Task<Result<ChallengeView>>> send)
    {
        try
        {
            var result = await send();
            if (result.Error is not null && (await budgetSpend).Hints is { Count: > 0 } sweep)
            {
                await FileAsync(sweep);
            }

            return result;
        }
        catch
        {
            // The units may have been taken even though the send failed: they go back, and their windows must still be swept.
            await FileSpentAsync(budgetSpend).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    private async Task FileSpentAsync(Task<BudgetSpend> budgetSpend)
    {
        var spend = await budgetSpend;
        await Task.WhenAll(spend.GiveBackAsync(CancellationToken.None), spend.Hints.Count > 0 ? FileAsync(spend.Hints) : Task.CompletedTask);
    }
}
