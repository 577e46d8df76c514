using Microsoft.Extensions.Options;
using OtpFunctions.Infrastructure;
using OtpFunctions.Sweeping;

namespace OtpFunctions.Challenges;

/// <summary>
/// The budgets a send spends besides its destination's: the client IP's, the SMS country's and the
/// service's as a whole (the last two are off unless configured). A refusal names its scope.
/// </summary>
public sealed class SendBudgets(WindowCounter counter, OtpHasher hasher, IOptions<OtpOptions> options)
{
    private readonly OtpOptions limits = options.Value;

    public async Task<BudgetResult> ConsumeAsync(string? clientIp, int? smsCallingCode, CancellationToken cancellationToken)
    {
        var sweep = new List<SweepHint>(3);
        if (clientIp is not null)
        {
            var ip = await counter.TryConsumeAsync("ip-" + hasher.IpKey(BudgetKey(clientIp)), limits.MaxSendsPerIp, limits.IpWindow, cancellationToken);
            if (ip.Wait is { } wait)
            {
                return BudgetResult.Refused("ip", wait, sweep);
            }

            Add(sweep, ip.Sweep);
        }

        if (smsCallingCode is { } code && limits.Sms.MaxSendsPerCountryCode > 0)
        {
            var country = await counter.TryConsumeAsync($"cc-{code}", limits.Sms.MaxSendsPerCountryCode, limits.Sms.CountryWindow, cancellationToken);
            if (country.Wait is { } wait)
            {
                return BudgetResult.Refused("country", wait, sweep);
            }

            Add(sweep, country.Sweep);
        }

        if (limits.MaxSendsGlobal > 0)
        {
            var global = await counter.TryConsumeAsync("global", limits.MaxSendsGlobal, limits.GlobalWindow, cancellationToken);
            if (global.Wait is { } wait)
            {
                return BudgetResult.Refused("global", wait, sweep);
            }

            Add(sweep, global.Sweep);
        }

        return new BudgetResult(null, null, sweep);
    }

    /// <summary>False when SMS to this calling code is not enabled (<c>Otp:Sms:AllowedCountryCodes</c>).</summary>
    public bool AllowsSmsTo(int callingCode) =>
        limits.Sms.AllowedCountryCodes.Length == 0
        || limits.Sms.AllowedCountryCodes.Any(allowed => allowed.TrimStart('+') == callingCode.ToString(System.Globalization.CultureInfo.InvariantCulture));

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

    private static void Add(List<SweepHint> sweep, SweepHint? hint)
    {
        if (hint is not null)
        {
            sweep.Add(hint);
        }
    }
}

/// <summary>The scope that refused (if any) and how long to wait, and the sweep hints of windows opened on the way.</summary>
public sealed record BudgetResult(string? RefusedBy, TimeSpan? RetryAfter, IReadOnlyList<SweepHint> Sweep)
{
    public static BudgetResult Refused(string scope, TimeSpan retryAfter, IReadOnlyList<SweepHint> openedSoFar) => new(scope, retryAfter, openedSoFar);
}
