namespace OtpFunctions.Callers;

public enum BotCheckProvider
{
    None,
    Turnstile,
    HCaptcha,
    Recaptcha,
}
