namespace OtpFunctions.Fraud;

/// <summary><c>Otp:FraudGuard:Mode</c>: what the fraud guard does with a prefix that looks pumped.</summary>
public enum FraudGuardMode
{
    /// <summary>Nothing is read, counted or judged.</summary>
    Off,

    /// <summary>Counted and judged; a pumped prefix is reported (log, metric, webhook) but never refused.</summary>
    Monitor,

    /// <summary>Counted and judged; a pumped prefix is reported and its new sends are refused for a while.</summary>
    Block,
}
