using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Security;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Sending;

/// <summary>
/// The budgets a send spends besides its destination's: the caller's (a server caller's own budget, else
/// the client IP's), the SMS country's and the service's SMS as a whole (the last two are off unless
/// configured). A refusal names its scope.
/// </summary>
public sealed class SendBudgets(WindowCounter counter, OtpHasher hasher, IOptions<OtpOptions> options)
{
    /// <summary>The IP bucket of every caller without a known address (IP keys are hex HMACs: no collision).</summary>
    public const string UnknownClientKey = "ip-unknown";

    private readonly OtpOptions limits = options.Value;

    /// <summary>
    /// Reads every budget this send spends, all at once (one round trip in sequence). A full one refuses,
    /// checked in the order caller or ip, country, global; nothing is spent then.
    /// </summary>
    public async Task<BudgetCheck> CheckAsync(Caller caller, int? smsCallingCode, CancellationToken cancellationToken)
    {
        var reads = new List<(RateLimitScope Scope, Task<WindowCheck> Check)>(3);
        if (caller.Server is { } server)
        {
            // A backend speaks for many users from few addresses: it gets its own budget instead of an address's.
            reads.Add((RateLimitScope.Caller, counter.CheckAsync("caller-" + server.Name, server.MaxSends, limits.IpWindow, cancellationToken)));
        }
        else
        {
            // A caller whose address the host could not tell shares one bucket with all such callers: no address must not mean no limit.
            reads.Add((RateLimitScope.Ip, counter.CheckAsync(caller.ClientIp is { } clientIp ? "ip-" + hasher.IpKey(BudgetKey(clientIp)) : UnknownClientKey, limits.MaxSendsPerIp, limits.IpWindow, cancellationToken)));
        }

        if (smsCallingCode is { } code && limits.Sms.MaxSendsPerCountryCode > 0)
        {
            reads.Add((RateLimitScope.Country, counter.CheckAsync($"cc-{code}", limits.Sms.MaxSendsPerCountryCode, limits.Sms.CountryWindow, cancellationToken)));
        }

        // The global budget caps the SMS bill: email, which costs next to nothing, must not use it up.
        if (smsCallingCode is not null && limits.MaxSendsGlobal > 0)
        {
            reads.Add((RateLimitScope.Global, counter.CheckAsync("global", limits.MaxSendsGlobal, limits.GlobalWindow, cancellationToken)));
        }

        await Task.WhenAll(reads.Select(read => read.Check));
        foreach (var (scope, read) in reads)
        {
            if (read.Result.Wait is { } wait)
            {
                return new BudgetCheck(scope, wait, []);
            }
        }

        return new BudgetCheck(null, null, reads.Select(read => read.Check.Result).ToArray());
    }

    /// <summary>Counts this send in every budget <paramref name="check"/> passed, all at once; returns the windows it opened.</summary>
    public async Task<IReadOnlyList<SweepHint>> SpendAsync(BudgetCheck check, CancellationToken cancellationToken)
    {
        var hints = await Task.WhenAll(check.Passed.Select(window => counter.CountAsync(window, cancellationToken)));
        return hints.OfType<SweepHint>().ToArray();
    }

    /// <summary>False when SMS to this calling code is not enabled (<c>Otp:Sms:AllowedCountryCodes</c>).</summary>
    public bool AllowsSmsTo(int callingCode) => limits.Sms.Allows(callingCode);

    /// <summary>An IPv6 client is its /64: one subscriber gets a whole /64, and must not get 2^64 budgets.</summary>
    public static string BudgetKey(string clientIp)
    {
        if (!System.Net.IPAddress.TryParse(clientIp, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || address.IsIPv4MappedToIPv6)
        {
            return clientIp;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }
}

/// <summary>The scope that refused (if any) and how long to wait, or the windows read that have room.</summary>
public sealed record BudgetCheck(RateLimitScope? RefusedBy, TimeSpan? RetryAfter, IReadOnlyList<WindowCheck> Passed);
