using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Http;
using OtpFunctions.Sweeping;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Sending;

/// <summary>
/// Queues a saved code for the delivery function, with the sweep hints the message carries, once its budgets' units
/// are taken. Should a budget have filled meanwhile or the queue be unreachable, the hints are filed here and the
/// status row says the code was never queued.
/// </summary>
public sealed class CodeHandOff(DeliveryHandOff deliveryHandOff, SweepFiling sweepFiling, OtpMetrics metrics)
{
    /// <summary>Null once the code is queued; the 429 when a budget filled between its look and its take.</summary>
    public async Task<ApiError?> HandOffAsync(SavedCode saved, Task<BudgetSpend> budgetSpend, string callerName, CancellationToken cancellationToken)
    {
        var challenge = saved.Challenge;
        var sweep = new List<SweepHint>(4) { sweepFiling.PartitionOf(challenge) };
        try
        {
            // The budgets were taken beside the transaction; a take that failed (storage down) fails the send
            // here, before the code leaves. A ceiling reached by a racing send means this code never leaves: it was
            // stored, but nobody learns it, and the status row says it was not queued.
            var spend = await budgetSpend;
            sweep.AddRange(spend.Hints);
            if (spend.Error is { } refused)
            {
                // The budget windows' hints are filed by the issuer's SweepFiling, as for any refused send.
                await deliveryHandOff.MarkNotQueuedAsync(challenge, sweep.Take(1));
                return refused;
            }

            await deliveryHandOff.EnqueueAsync(challenge, saved.Minted.Code, sweep, cancellationToken);
        }
        catch
        {
            // The client gets a 503 and never learns this challenge's id; the status row says what happened
            // and the index still lets the sweeper remove it.
            await deliveryHandOff.MarkNotQueuedAsync(challenge, sweep);
            throw;
        }

        metrics.Sent(challenge.Channel.ToWire(), challenge.Purpose, callerName);
        return null;
    }
}
