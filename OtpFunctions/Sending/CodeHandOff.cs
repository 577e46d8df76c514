using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Sweeping;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Sending;

/// <summary>
/// Queues a saved code for the delivery function, with the sweep hints the message carries. Should the queue be
/// unreachable, the hints are filed here and the status row says why before the error goes up.
/// </summary>
public sealed class CodeHandOff(DeliveryHandOff deliveryHandOff, SweepFiling sweepFiling, OtpMetrics metrics)
{
    public async Task HandOffAsync(SavedCode saved, Task<IReadOnlyList<SweepHint>> budgetSpend, string callerName, CancellationToken cancellationToken)
    {
        var challenge = saved.Challenge;
        var sweep = new List<SweepHint>(4) { sweepFiling.PartitionOf(challenge) };
        try
        {
            // The budgets were counted beside the transaction; a count that failed (storage down) fails the send
            // here, before the code leaves, as it did when budgets were counted first.
            sweep.AddRange(await budgetSpend);
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
    }
}
