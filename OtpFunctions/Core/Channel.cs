namespace OtpFunctions.Core;

/// <summary>The ways a code can travel: three phone channels (<see cref="ChannelNames.IsPhone"/>) and email.</summary>
public enum Channel
{
    Sms,
    Email,
    WhatsApp,
    Voice,
}
