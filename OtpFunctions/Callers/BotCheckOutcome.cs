namespace OtpFunctions.Callers;

public enum BotCheckOutcome
{
    Passed,
    Refused,
    Unavailable,
}
