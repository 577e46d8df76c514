namespace OtpFunctions.Delivery.Events;

public enum DeliveryReportStatus
{
    Delivered,
    Failed,
}
