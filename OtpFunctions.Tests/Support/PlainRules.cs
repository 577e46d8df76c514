using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Security;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// What the decisions need, as plain objects and without a host or storage: a fake clock, fresh keys, the options a
/// test sets and a meter of its own, whose measurements only this instance hears (test classes run in parallel).
/// Built in one place so a rule that moves or changes its constructor is followed here once.
/// </summary>
public sealed class PlainRules : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private readonly OwnMeters meters = new();
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, IReadOnlyDictionary<string, object?> Tags)> measured = new();

    public PlainRules(OtpOptions? limits = null)
    {
        Limits = limits ?? new OtpOptions();
        Clock = new FakeTimeProvider(Start);
        Secrets = NewSecrets();
        Hasher = new OtpHasher(Secrets);
        Metrics = new OtpMetrics(meters);
        Options = Microsoft.Extensions.Options.Options.Create(Limits);
        RateLimits = new RateLimits(Metrics, NullLogger<RateLimits>.Instance);
        Refusals = new ChallengeRefusals(Hasher, Metrics, RateLimits, Options);
        Views = new ChallengeViews(Options);
        listener.InstrumentPublished = (instrument, listening) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listening.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
            measured.Enqueue((instrument.Name, tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value))));
        listener.Start();
    }

    public OtpOptions Limits { get; }

    public FakeTimeProvider Clock { get; }

    public OtpSecrets Secrets { get; }

    public OtpHasher Hasher { get; }

    public OtpMetrics Metrics { get; }

    public IOptions<OtpOptions> Options { get; }

    public RateLimits RateLimits { get; }

    public ChallengeRefusals Refusals { get; }

    public ChallengeViews Views { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>The values of <paramref name="tag"/> counted on <paramref name="instrument"/>, in order.</summary>
    public IReadOnlyList<object?> Counted(string instrument, string tag) =>
        measured.Where(entry => entry.Instrument == instrument).Select(entry => entry.Tags.GetValueOrDefault(tag)).ToList();

    /// <summary>A pending SMS challenge for <paramref name="code"/>, sent now and living for the configured lifetime.</summary>
    public Challenge Challenge(string code = "123456")
    {
        var id = ChallengeId.Create(Hasher.DestinationKey(Channel.Sms, "+14155550100"), CodeGenerator.NewToken());
        return new Challenge
        {
            Id = id,
            Channel = Channel.Sms,
            Purpose = "login",
            Locale = "en",
            MaskedTo = "+1*******100",
            SealedTo = "sealed",
            CodeHash = Hasher.HashCode(id.Value, code),
            CodeVersion = 1,
            OperationId = Guid.NewGuid(),
            CreatedAt = Now,
            LastSentAt = Now,
            ExpiresAt = Now + Limits.CodeLifetime,
            State = ChallengeState.Pending,
            FailedAttempts = 0,
        };
    }

    /// <summary>A destination's limit row as stored: <paramref name="sends"/> in a window opened at <paramref name="windowStart"/>.</summary>
    public static DestinationLimit Limit(int sends = 0, DateTimeOffset? windowStart = null, int failures = 0, DateTimeOffset? failuresStart = null, IReadOnlyDictionary<string, PendingChallenge>? pending = null) =>
        new("partition", sends == 0 && windowStart is null ? RateWindow.Empty : new RateWindow(windowStart ?? Start, sends), pending ?? new Dictionary<string, PendingChallenge>(), default)
        {
            Failures = failures == 0 && failuresStart is null ? RateWindow.Empty : new RateWindow(failuresStart ?? Start, failures),
        };

    public static OtpSecrets NewSecrets() => OtpSecrets.Create(new SecretOptions
    {
        Pepper = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    });

    public void Dispose()
    {
        listener.Dispose();
        meters.Dispose();
    }

    /// <summary>Meters scoped to one <see cref="PlainRules"/>, as a host's meter factory scopes its own.</summary>
    private sealed class OwnMeters : IMeterFactory
    {
        private readonly List<Meter> created = [];

        public Meter Create(MeterOptions options)
        {
            options.Scope = this;
            var meter = new Meter(options);
            lock (created)
            {
                created.Add(meter);
            }

            return meter;
        }

        public void Dispose()
        {
            lock (created)
            {
                created.ForEach(meter => meter.Dispose());
            }
        }
    }
}
