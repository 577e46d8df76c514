namespace OtpFunctions.Webhooks;

/// <summary>The events an app backend can subscribe to (api.md's names).</summary>
public static class WebhookEvents
{
    public const string VerificationApproved = "verification.approved";
    public const string VerificationLocked = "verification.locked";
    public const string DeliveryFailed = "delivery.failed";
    public const string FraudPrefixBlocked = "fraud.prefix_blocked";

    public static readonly IReadOnlyList<string> All = [VerificationApproved, VerificationLocked, DeliveryFailed, FraudPrefixBlocked];
}
