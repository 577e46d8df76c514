using Microsoft.Extensions.Logging;
using OtpFunctions.Delivery.Templates;

namespace OtpFunctions.Delivery;

/// <summary>
/// Every log line the delivery code writes. Destinations appear masked only, secrets never;
/// the one exception is <see cref="CodeForDevelopment"/>, which the Log provider writes in Development only.
/// </summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Development delivery via the log: {Channel} to {MaskedTo}: {Text}")]
    public static partial void CodeForDevelopment(ILogger logger, Channel channel, string maskedTo, string text);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "SMS template {Locale}/{Purpose} renders to {Segments} {Encoding} segments ({Units} units); each segment is billed")]
    public static partial void SmsTemplateNeedsSegments(ILogger logger, string locale, string purpose, int segments, SmsEncoding encoding, int units);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning,
        Message = "SMTP delivery to {MaskedTo} failed: {Reason}")]
    public static partial void SmtpFailed(ILogger logger, string maskedTo, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information,
        Message = "Delivery providers: SMS via {SmsProvider}, email via {EmailProvider}; templates from {TemplateSource}")]
    public static partial void ProvidersReady(ILogger logger, string smsProvider, string emailProvider, string templateSource);
}
