using OtpFunctions.Telemetry;
using OtpFunctions.Webhooks;

namespace OtpFunctions.Fraud;

/// <summary>Tells the world a prefix was judged pumped, once per block: the log, the <c>otp.fraud.blocks</c> metric and the webhook.</summary>
public sealed class FraudAlarm(OtpMetrics metrics, WebhookPublisher webhooks, ILogger<FraudAlarm> logger)
{
    public void Raise(string prefix, PrefixBlock block)
    {
        var mode = block.Enforced ? "block" : "monitor";
        metrics.FraudBlock(mode, PhonePrefix.CallingCodeOf(prefix));
        OtpLog.PrefixBlocked(logger, mode, prefix, block.Sends, block.Verified, block.Enforced ? "new sends refused" : "reported only (Monitor)", block.Until);
        webhooks.Publish(WebhookEvents.FraudPrefixBlocked, new PrefixBlockedData(prefix, block.Sends, block.Verified, block.Until, mode));
    }
}
