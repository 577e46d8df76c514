namespace OtpFunctions.Fraud;

/// <summary>What the rule says of a send: go, refuse for a while (blocked), or go or refuse after a new block or report.</summary>
public sealed record FraudVerdict(TimeSpan? RefuseFor, PrefixBlock? NewBlock)
{
    public static readonly FraudVerdict Pass = new(null, null);
}
