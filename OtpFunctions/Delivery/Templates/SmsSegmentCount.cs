namespace OtpFunctions.Delivery.Templates;

/// <summary>How a text travels as SMS: its encoding, length in encoding units and billed segments.</summary>
public sealed record SmsSegmentCount(SmsEncoding Encoding, int Units, int Segments);
