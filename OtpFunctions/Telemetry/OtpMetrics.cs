using System.Diagnostics.Metrics;

namespace OtpFunctions.Telemetry;

/// <summary>
/// The service's metrics (Meter "OtpFunctions"). Dimensions are channel, purpose, caller (a configured
/// name), provider, outcome and scope only: never a code, destination or IP.
/// </summary>
public sealed class OtpMetrics
{
    public const string MeterName = "OtpFunctions";
    private const int MaxPurposes = 32;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> purposes = new(StringComparer.Ordinal);

    private readonly Counter<long> sent;
    private readonly Counter<long> verified;
    private readonly Counter<long> failed;
    private readonly Counter<long> locked;
    private readonly Counter<long> expired;
    private readonly Counter<long> deliveryOutcomes;
    private readonly Histogram<double> deliveryDuration;
    private readonly Histogram<double> verifyDuration;
    private readonly Counter<long> rateLimited;
    private readonly Histogram<double> codeInHand;
    private readonly Counter<long> botChecks;
    private readonly Counter<long> fraudBlocks;

    public OtpMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        sent = meter.CreateCounter<long>("otp.codes.sent", description: "Codes issued (sends and resends).");
        verified = meter.CreateCounter<long>("otp.codes.verified", description: "Codes verified correctly.");
        failed = meter.CreateCounter<long>("otp.codes.failed", description: "Wrong codes counted.");
        locked = meter.CreateCounter<long>("otp.codes.locked", description: "Challenges locked after too many wrong codes.");
        expired = meter.CreateCounter<long>("otp.codes.expired", description: "Verifications refused because the code had expired or was replaced.");
        deliveryOutcomes = meter.CreateCounter<long>("otp.delivery.outcomes", description: "Delivery attempts by provider and outcome.");
        deliveryDuration = meter.CreateHistogram<double>("otp.delivery.duration", unit: "ms", description: "Time a provider took to accept a message.");
        verifyDuration = meter.CreateHistogram<double>("otp.verify.duration", unit: "ms", description: "Time to answer a verify request.");
        rateLimited = meter.CreateCounter<long>("otp.ratelimit.rejections", description: "Requests refused by a limit, by scope.");
        botChecks = meter.CreateCounter<long>("otp.botcheck.outcomes", description: "Bot-check verifications by provider and outcome (passed, refused, unavailable).");
        fraudBlocks = meter.CreateCounter<long>("otp.fraud.blocks", description: "Number prefixes the fraud guard judged pumped, by mode (block: refused from then on; monitor: reported only) and calling code.");
        codeInHand = meter.CreateHistogram<double>("otp.delivery.code_in_hand", unit: "ms", description: "Time from a send being accepted (202) to the provider accepting its message, by channel: the wait a user feels.");
    }

    /// <summary>A code handed to delivery; <paramref name="caller"/> is a configured server caller's name or "anonymous".</summary>
    public void Sent(string channel, string purpose, string caller) =>
        sent.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("purpose", Bounded(purpose)), new KeyValuePair<string, object?>("caller", caller));

    public void Verified(string channel, string purpose) => verified.Add(1, Tags(channel, purpose));

    public void Failed(string channel, string purpose) => failed.Add(1, Tags(channel, purpose));

    public void Locked(string channel, string purpose) => locked.Add(1, Tags(channel, purpose));

    public void Expired(string channel, string purpose) => expired.Add(1, Tags(channel, purpose));

    public void Delivery(string provider, string outcome, TimeSpan? duration)
    {
        deliveryOutcomes.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("outcome", outcome));
        if (duration is { } elapsed)
        {
            deliveryDuration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("provider", provider));
        }
    }

    /// <summary>Send accepted to provider accepted; a negative span (clock skew between instances) is recorded as 0.</summary>
    public void CodeInHand(string channel, TimeSpan elapsed) =>
        codeInHand.Record(Math.Max(0, elapsed.TotalMilliseconds), new KeyValuePair<string, object?>("channel", channel));

    public void VerifyDuration(TimeSpan elapsed) => verifyDuration.Record(elapsed.TotalMilliseconds);

    public void BotCheck(string provider, string outcome) =>
        botChecks.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>A prefix judged pumped; <paramref name="mode"/> is "block" or "monitor".</summary>
    public void FraudBlock(string mode, int callingCode) =>
        fraudBlocks.Add(1, new KeyValuePair<string, object?>("mode", mode), new KeyValuePair<string, object?>("calling_code", callingCode));

    public void RateLimited(string scope) => rateLimited.Add(1, new KeyValuePair<string, object?>("scope", scope));

    private ReadOnlySpan<KeyValuePair<string, object?>> Tags(string channel, string purpose) =>
        new KeyValuePair<string, object?>[] { new("channel", channel), new("purpose", Bounded(purpose)) };

    // Callers choose purposes: past the first few, they are reported together so series stay bounded.
    private string Bounded(string purpose)
    {
        if (purposes.ContainsKey(purpose))
        {
            return purpose;
        }

        return purposes.Count < MaxPurposes && purposes.TryAdd(purpose, 0) ? purpose : "other";
    }
}
