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
[JsonSerializable(typeof(WhatsAppSendRequest))]
[JsonSerializable(typeof(WhatsAppSendResponse))]
[JsonSerializable(typeof(CreateCallRequest))]
[JsonSerializable(typeof(CallConnectionProperties))]
[JsonSerializable(typeof(PlayRequest))]
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

// Advanced Messaging, stable 2024-08-30 (communicationservicesmessages.json): TemplateNotificationContent and SendMessageResult.
internal sealed record WhatsAppSendRequest(string ChannelRegistrationId, IReadOnlyList<string> To, string Kind, WhatsAppTemplate Template);

internal sealed record WhatsAppTemplate(string Name, string Language, IReadOnlyList<WhatsAppTemplateValue> Values, WhatsAppTemplateBindings Bindings);

internal sealed record WhatsAppTemplateValue(string Name, string Kind, string Text);

internal sealed record WhatsAppTemplateBindings(string Kind, IReadOnlyList<WhatsAppBinding> Body, IReadOnlyList<WhatsAppButtonBinding> Buttons);

internal sealed record WhatsAppBinding(string RefValue);

internal sealed record WhatsAppButtonBinding(string SubType, string RefValue);

internal sealed record WhatsAppSendResponse(IReadOnlyList<WhatsAppReceipt>? Receipts);

internal sealed record WhatsAppReceipt(string? MessageId, string? To);

// Call Automation, stable 2024-09-15 (communicationservicescallautomation.json): CreateCallRequest, CallConnectionProperties, PlayRequest.
internal sealed record CreateCallRequest(IReadOnlyList<CallTarget> Targets, PhoneNumberValue SourceCallerIdNumber, string CallbackUri, CallIntelligence? CallIntelligenceOptions);

internal sealed record CallTarget(string Kind, PhoneNumberValue PhoneNumber);

internal sealed record PhoneNumberValue(string Value);

internal sealed record CallIntelligence(string CognitiveServicesEndpoint);

internal sealed record CallConnectionProperties(string? CallConnectionId, string? CallConnectionState);

internal sealed record PlayRequest(IReadOnlyList<PlaySource> PlaySources, string OperationContext);

internal sealed record PlaySource(string Kind, TextSource Text);

internal sealed record TextSource(string Text, string SourceLocale);
