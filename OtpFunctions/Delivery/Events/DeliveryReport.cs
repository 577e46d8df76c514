namespace OtpFunctions.Delivery.Events;

/// <summary>One provider verdict about one message, found by the id the provider gave at send time.</summary>
public sealed record DeliveryReport(string ProviderMessageId, DeliveryReportStatus Status, string? Reason);
