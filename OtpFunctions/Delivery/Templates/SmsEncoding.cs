namespace OtpFunctions.Delivery.Templates;

public enum SmsEncoding
{
    Gsm7,
    Ucs2,
}
