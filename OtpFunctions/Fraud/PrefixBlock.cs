namespace OtpFunctions.Fraud;

/// <summary>
/// A prefix judged pumped: when, until when, on what evidence, and whether its sends are refused (false: a
/// <see cref="FraudGuardMode.Monitor"/> report). Sends before <see cref="JudgedFrom"/> are never judged again:
/// a block uses up its evidence, and a lifted prefix starts afresh.
/// </summary>
public sealed record PrefixBlock(DateTimeOffset Since, DateTimeOffset Until, int Sends, int Verified, bool Enforced, DateTimeOffset JudgedFrom)
{
    public bool IsActive(DateTimeOffset now) => Until > now;
}
