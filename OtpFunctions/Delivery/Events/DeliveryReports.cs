using OtpFunctions.Challenges;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Delivery.Events;

/// <summary>Maps provider delivery reports onto the challenge that sent the message.</summary>
public sealed class DeliveryReports(ChallengeStore store, ProviderMessageIndex messages, OtpMetrics metrics, Webhooks.WebhookPublisher webhooks, DeliveryFallback fallback, TimeProvider time, ILogger<DeliveryReports> logger)
{
    public async Task ApplyAsync(IReadOnlyList<DeliveryReport> reports, CancellationToken cancellationToken)
    {
        foreach (var report in reports)
        {
            if (await messages.FindAsync(report.ProviderMessageId, time.GetUtcNow(), cancellationToken) is not { } owner)
            {
                // Unknown or already swept: answering 200 stops Event Grid from retrying forever.
                OtpLog.DeliveryReportUnmatched(logger);
                continue;
            }

            var delivered = report.Status == DeliveryReportStatus.Delivered;
            var state = new DeliveryState(delivered ? DeliveryStatus.Delivered : DeliveryStatus.Failed, time.GetUtcNow(), delivered ? null : report.Reason ?? "not delivered", report.ProviderMessageId, 0);
            await store.UpdateDeliveryReportAsync(owner.Id, owner.CodeVersion, state, cancellationToken);
            metrics.Delivery("report", state.Status.ToWire(), null);
            OtpLog.DeliveryReported(logger, owner.Id.Value, state.Status.ToWire(), state.Error);

            // A failed report starts the next fallback channel; only the last channel's failure reaches the webhooks.
            if (delivered || await fallback.TryNextAsync(owner.Id, owner.CodeVersion, cancellationToken))
            {
                continue;
            }

            // The event names the challenge, which the report does not carry: read only when someone subscribed.
            if (webhooks.Wants(Webhooks.WebhookEvents.DeliveryFailed)
                && await store.GetChallengeAsync(owner.Id, cancellationToken) is { } challenge && challenge.CodeVersion == owner.CodeVersion)
            {
                webhooks.Publish(Webhooks.WebhookEvents.DeliveryFailed, challenge, "reported undelivered by the carrier or mail server");
            }
        }
    }
}
