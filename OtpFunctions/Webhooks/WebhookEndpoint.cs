namespace OtpFunctions.Webhooks;

/// <summary>One endpoint under <c>Otp:Webhooks:&lt;name&gt;</c>: where to post, how to sign, what it wants.</summary>
public sealed record WebhookEndpoint(string Name, Uri Url, string Secret, IReadOnlySet<string> Events);
