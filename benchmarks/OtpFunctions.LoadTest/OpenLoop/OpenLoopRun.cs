using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OtpFunctions.LoadTest.OpenLoop;

/// <summary>
/// Open loop: requests arrive on a fixed schedule whatever the answers, so queueing delay shows up in the
/// latencies instead of slowing the load down (a closed loop hides it). Each arrival is one user: send to a
/// fresh destination from a fresh address; when the code reaches the provider sink, verify it at once (as
/// SMS autofill does). Latency counts from the scheduled arrival time, so a late start is not forgiven.
/// </summary>
public sealed partial class OpenLoopRun
{
    private static readonly TimeSpan CodeWait = TimeSpan.FromSeconds(120);
    private readonly OpenLoopTarget target;
    private readonly IReadOnlyList<MeasuredProcess>? processes;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(string Text, long ArrivedAt)>> arrivals = new(StringComparer.Ordinal);
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private readonly ConcurrentDictionary<string, long> totals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> delivered = new(StringComparer.Ordinal);
    private long arrivedTotal;
    private int next;

    /// <param name="processes">Whose CPU each step reads from the OS (none: no CPU figures).</param>
    public OpenLoopRun(OpenLoopTarget target, IReadOnlyList<MeasuredProcess>? processes = null)
    {
        this.target = target;
        this.processes = processes;
    }

    /// <summary>Called by the provider sink for every message it accepts.</summary>
    public void Arrived(string destination, string text, long arrivedAt)
    {
        Interlocked.Increment(ref arrivedTotal);
        // Each destination gets one code: a second arrival is the provider call retried (a timeout under load), not a second send.
        Count(destination.StartsWith('+') ? "sms" : "email", delivered.TryAdd(destination, 0) ? "delivered" : "delivered again");
        Slot(destination).TrySetResult((text, arrivedAt));
    }

    /// <summary>Answers and deliveries of the whole run by channel, e.g. <c>sms: 202 x160, 429 rate_limited x140, delivered x160</c>.</summary>
    public string Totals() => string.Join("; ", totals
        .GroupBy(pair => pair.Key.Split(' ', 2)[0])
        .OrderBy(group => group.Key, StringComparer.Ordinal)
        .Select(group => $"{group.Key}: {string.Join(", ", group.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key.Split(' ', 2)[1]} x{pair.Value}"))}"));

    private void Count(string channel, string what) => totals.AddOrUpdate($"{channel} {what}", 1, static (_, count) => count + 1);

    public async Task<StepResult> RunStepAsync(double rate, TimeSpan duration, TimeSpan drain)
    {
        var step = new StepStats(rate, duration);
        target.Counter?.Reset();
        var cpu = processes is null ? null : CpuWindow.Start(processes);
        var flows = new List<Task>();
        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var arrivedAtStart = Interlocked.Read(ref arrivedTotal);
        for (var i = 0L; ; i++)
        {
            var due = start + (long)(i * interval);
            if (due >= end)
            {
                break;
            }

            var wait = due - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 500)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }

            flows.Add(Task.Run(() => FlowAsync(step, due, end)));
        }

        // Arrival scheduling can fall behind on a busy machine: wait out the rest of the step, then look.
        var left = end - Stopwatch.GetTimestamp();
        if (left > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
        }

        step.Offered = flows.Count;
        step.ArrivedAtEnd = Interlocked.Read(ref step.Arrived);
        step.BacklogAtEnd = Interlocked.Read(ref step.Accepted) - step.ArrivedAtEnd;
        step.DeliveredDuringStep = Interlocked.Read(ref arrivedTotal) - arrivedAtStart;
        step.QueueDepthAtEnd = await TryAsync(target.QueueDepthAsync);

        var all = Task.WhenAll(flows);
        await Task.WhenAny(all, Task.Delay(drain + CodeWait));
        var cpuUse = cpu?.Stop(Interlocked.Read(ref step.Verified));
        var lastArrival = Interlocked.Read(ref step.LastArrival);
        var drained = Interlocked.Read(ref step.Accepted) == Interlocked.Read(ref step.Arrived);
        step.DrainSeconds = !drained ? double.NaN : lastArrival <= end ? 0 : (double)(lastArrival - end) / Stopwatch.Frequency;
        return step.ToResult(target.Counter?.Snapshot(), cpuUse);
    }

    private async Task FlowAsync(StepStats step, long scheduledAt, long stepEnd)
    {
        var n = Interlocked.Increment(ref next);
        var (channel, to) = n % 2 == 0
            ? ("sms", string.Create(CultureInfo.InvariantCulture, $"+1415{200 + (n / 10_000 % 800)}{n % 10_000:D4}"))
            : ("email", $"ol-{run}-{n}@example.com");
        // Registered before the send: the sink may see the message before the 202 reaches us.
        var slot = Slot(to);
        using var request = new HttpRequestMessage(HttpMethod.Post, "otp") { Content = JsonContent.Create(new { channel, to }) };
        // Loopback is a trusted proxy, so this is the client address the IP limit sees: one per user.
        request.Headers.Add("X-Forwarded-For", string.Create(CultureInfo.InvariantCulture, $"2001:db8:{n >> 16:x}:{n & 0xffff:x}::1"));
        var (status, body, error) = await CallAsync(request, HttpStatusCode.Accepted);
        var acceptedAt = Stopwatch.GetTimestamp();
        Count(channel, error ?? "202");
        step.Send.Record(Stopwatch.GetElapsedTime(scheduledAt, acceptedAt));
        if (status != HttpStatusCode.Accepted)
        {
            step.SendErrors.AddOrUpdate(error!, 1, static (_, count) => count + 1);
            arrivals.TryRemove(to, out _);
            return;
        }

        Interlocked.Increment(ref step.Accepted);
        if (acceptedAt <= stepEnd)
        {
            Interlocked.Increment(ref step.AcceptedInStep);
        }

        (string Text, long ArrivedAt) arrival;
        try
        {
            arrival = await slot.Task.WaitAsync(CodeWait + TimeSpan.FromSeconds(step.Duration.TotalSeconds));
        }
        catch (TimeoutException)
        {
            step.VerifyErrors.AddOrUpdate("no code", 1, static (_, count) => count + 1);
            return;
        }
        finally
        {
            arrivals.TryRemove(to, out _);
        }

        Interlocked.Increment(ref step.Arrived);
        InterlockedMax(ref step.LastArrival, arrival.ArrivedAt);
        var inHand = arrival.ArrivedAt > acceptedAt ? Stopwatch.GetElapsedTime(acceptedAt, arrival.ArrivedAt) : TimeSpan.Zero;
        step.CodeInHand.Record(inHand);
        (channel == "sms" ? step.CodeInHandSms : step.CodeInHandEmail).Record(inHand);

        var id = body.GetProperty("id").GetString()!;
        using var verify = new HttpRequestMessage(HttpMethod.Post, $"otp/{id}/verify") { Content = JsonContent.Create(new { code = Code().Match(arrival.Text).Value }) };
        var verifyStarted = Stopwatch.GetTimestamp();
        var (_, _, verifyError) = await CallAsync(verify, HttpStatusCode.OK);
        step.Verify.Record(Stopwatch.GetElapsedTime(verifyStarted));
        if (verifyError is not null)
        {
            step.VerifyErrors.AddOrUpdate(verifyError, 1, static (_, count) => count + 1);
        }
        else
        {
            Interlocked.Increment(ref step.Verified);
        }
    }

    private TaskCompletionSource<(string Text, long ArrivedAt)> Slot(string destination) =>
        arrivals.GetOrAdd(destination, static _ => new TaskCompletionSource<(string, long)>(TaskCreationOptions.RunContinuationsAsynchronously));

    private Task<(HttpStatusCode? Status, JsonElement Body, string? Error)> CallAsync(HttpRequestMessage request, HttpStatusCode expected) =>
        LoadHttp.CallAsync(target.Client, request, expected);

    private static async Task<int?> TryAsync(Func<Task<int>> read)
    {
        try
        {
            return await read();
        }
        catch (Azure.RequestFailedException)
        {
            return null;
        }
    }

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current && Interlocked.CompareExchange(ref location, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    [GeneratedRegex(@"\b\d{4,10}\b")]
    private static partial Regex Code();
}

/// <summary>Counters of one step, filled by many flows at once.</summary>
internal sealed class StepStats(double rate, TimeSpan duration)
{
    public long Accepted;
    public long AcceptedInStep;
    public long Arrived;
    public long LastArrival;
    public long Verified;

    public double Rate => rate;

    public TimeSpan Duration => duration;

    public int Offered { get; set; }

    public long BacklogAtEnd { get; set; }

    public long ArrivedAtEnd { get; set; }

    public long DeliveredDuringStep { get; set; }

    public int? QueueDepthAtEnd { get; set; }

    public double DrainSeconds { get; set; }

    public HdrLatency Send { get; } = new();

    public HdrLatency Verify { get; } = new();

    public HdrLatency CodeInHand { get; } = new();

    public HdrLatency CodeInHandSms { get; } = new();

    public HdrLatency CodeInHandEmail { get; } = new();

    public ConcurrentDictionary<string, long> SendErrors { get; } = new();

    public ConcurrentDictionary<string, long> VerifyErrors { get; } = new();

    public StepResult ToResult(IReadOnlyDictionary<(string Route, string Operation), long>? storage, StepCpu? cpu = null)
    {
        var arrived = Math.Max(1, Interlocked.Read(ref Arrived));
        var sends = Math.Max(1, Interlocked.Read(ref Accepted));
        double? PerRequest(string route, long count) => storage is null ? null : storage.Where(pair => pair.Key.Route == route).Sum(pair => pair.Value) / (double)count;
        return new StepResult(
            rate,
            duration.TotalSeconds,
            Offered,
            Interlocked.Read(ref Accepted),
            Interlocked.Read(ref AcceptedInStep) / duration.TotalSeconds,
            DeliveredDuringStep / duration.TotalSeconds,
            BacklogAtEnd,
            QueueDepthAtEnd,
            double.IsNaN(DrainSeconds) ? null : DrainSeconds,
            // Codes delivered after the step ended, per second of the drain: sends still being answered then add to
            // the backlog, so the backlog at the end alone would understate what the queue function drained.
            BacklogAtEnd >= 20 && DrainSeconds > 0 ? (Interlocked.Read(ref Arrived) - ArrivedAtEnd) / DrainSeconds : null,
            Send.Summary(),
            Verify.Summary(),
            CodeInHand.Summary(),
            CodeInHandSms.Summary(),
            CodeInHandEmail.Summary(),
            SendErrors.Values.Sum(),
            VerifyErrors.Values.Sum(),
            SendErrors.Concat(VerifyErrors).GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value)),
            PerRequest(ServiceLoad.SendRoute, sends),
            PerRequest(ServiceLoad.VerifyRoute, arrived),
            PerRequest(StorageRequestCounter.Background, arrived))
        {
            Verified = Interlocked.Read(ref Verified),
            Cpu = cpu,
        };
    }
}

/// <summary>One step's figures, as printed and written to the JSON output (latencies in ms, rates per second).</summary>
public sealed record StepResult(
    double OfferedRate,
    double DurationSeconds,
    int Offered,
    long Accepted,
    double SendThroughput,
    double DeliveredPerSecondDuringStep,
    long BacklogAtEnd,
    int? QueueDepthAtEnd,
    double? DrainSeconds,
    double? DrainRate,
    LatencySummary Send,
    LatencySummary Verify,
    LatencySummary CodeInHand,
    LatencySummary CodeInHandSms,
    LatencySummary CodeInHandEmail,
    long SendErrors,
    long VerifyErrors,
    IReadOnlyDictionary<string, long> Errors,
    double? StorageOpsPerSend,
    double? StorageOpsPerVerify,
    double? StorageOpsPerDeliveryBackground)
{
    /// <summary>Users whose verify answered 200.</summary>
    public long Verified { get; init; }

    /// <summary>CPU per process from the step's first arrival until its last user was done (null when not measured).</summary>
    public StepCpu? Cpu { get; init; }
}
