using System.Text.Json.Serialization;

namespace OtpFunctions.Delivery.Acs;

/// <summary>The ACS request and response bodies, serialised without reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SmsSendRequest))]
[JsonSerializable(typeof(SmsSendResponse))]
[JsonSerializable(typeof(EmailSendRequest))]
[JsonSerializable(typeof(EmailSendResponse))]
internal sealed partial class AcsJsonContext : JsonSerializerContext;

internal sealed record SmsSendRequest(string From, IReadOnlyList<SmsRecipient> SmsRecipients, string Message, SmsSendOptions SmsSendOptions);

internal sealed record SmsRecipient(string To, string RepeatabilityRequestId, string RepeatabilityFirstSent);

internal sealed record SmsSendOptions(bool EnableDeliveryReport);

internal sealed record SmsSendResponse(IReadOnlyList<SmsSendResult>? Value);

internal sealed record SmsSendResult(string? To, string? MessageId, int HttpStatusCode, bool Successful, string? ErrorMessage);

internal sealed record EmailSendRequest(string SenderAddress, EmailContent Content, EmailRecipients Recipients, bool UserEngagementTrackingDisabled);

internal sealed record EmailContent(string Subject, string PlainText, string? Html);

internal sealed record EmailRecipients(IReadOnlyList<EmailAddress> To);

internal sealed record EmailAddress(string Address);

internal sealed record EmailSendResponse(string? Id, string? Status);
