using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OtpFunctions.LoadTest.OpenLoop;

/// <summary>
/// Turns the steps into capacities, the saturation point and the issue's goals; prints them, writes them as
/// JSON for other tools, and draws the chart.
/// </summary>
public sealed class OpenLoopReport(string host, OpenLoopOptions options, IReadOnlyList<StepResult> steps)
{
    // A step is saturated when the service no longer answers what arrives, promptly, or delivery falls behind.
    private const double ThroughputShare = 0.9;
    private const double SendP95LimitMs = 1000;
    private const double ErrorShare = 0.01;

    // NaN (a percentile with no samples) is written as "NaN" rather than failing the whole file.
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public OpenLoopSummary Summarize()
    {
        // The lowest rate from which every step is saturated: one noisy step below it (a neighbour's build on
        // this shared machine) does not move the saturation point down.
        var saturated = steps.Where((step, index) => steps.Skip(index).All(later => SaturationReason(later) is not null)).FirstOrDefault();
        var sendCapacity = steps.Max(step => step.SendThroughput);
        // Delivery capacity: the most codes per second the queue function handed over, in a step or in a drain
        // after one. A drain after a collapsed step competes with the still-saturated HTTP path on the same
        // cores, so it alone would understate it.
        var drainRates = steps.Where(step => step.DrainRate is not null).Select(step => step.DrainRate!.Value).ToList();
        var deliveryLowerBound = steps.Max(step => step.DeliveredPerSecondDuringStep);
        var deliveryCapacity = drainRates.Count > 0 ? Math.Max(drainRates.Max(), deliveryLowerBound) : (double?)null;
        var half = steps.OrderBy(step => Math.Abs(step.OfferedRate - sendCapacity / 2)).First();
        var burst = steps.OrderBy(step => Math.Abs(step.OfferedRate - sendCapacity)).First();
        return new OpenLoopSummary(
            host,
            Environment.ProcessorCount,
            DateTimeOffset.UtcNow,
            steps,
            saturated?.OfferedRate,
            saturated is null ? null : SaturationReason(saturated),
            sendCapacity,
            deliveryCapacity,
            deliveryLowerBound,
            deliveryCapacity is { } capacity ? capacity / sendCapacity : null,
            new Goal("code in hand p95 <= 1500 ms at half the send capacity", half.OfferedRate, half.CodeInHand.P95, half.CodeInHand.P95 <= 1500),
            new Goal("no backlog growth at half the send capacity (backlog at step end <= 1 s of arrivals)", half.OfferedRate, half.BacklogAtEnd, half.BacklogAtEnd <= half.OfferedRate),
            new Goal("backlog gone within 5 s after a step at full capacity", burst.OfferedRate, burst.DrainSeconds ?? double.NaN, burst.DrainSeconds is <= 5));
    }

    public static string? SaturationReason(StepResult step)
    {
        var reasons = new List<string>();
        if (step.SendThroughput < ThroughputShare * step.OfferedRate)
        {
            reasons.Add($"answered {step.SendThroughput:0.#}/s of {step.OfferedRate:0.#}/s");
        }

        if (step.Send.P95 > SendP95LimitMs)
        {
            reasons.Add($"send p95 {step.Send.P95:0} ms");
        }

        if (step.SendErrors + step.VerifyErrors > ErrorShare * Math.Max(1, step.Offered))
        {
            reasons.Add($"{step.SendErrors + step.VerifyErrors} errors");
        }

        if (step.BacklogAtEnd > step.OfferedRate)
        {
            reasons.Add($"delivery backlog {step.BacklogAtEnd} at step end");
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    public void Print(TextWriter output, OpenLoopSummary summary)
    {
        output.WriteLine();
        output.WriteLine($"Open loop against the {host}: {options.Step.TotalSeconds:0.#}s per rate, {summary.Cores} cores");
        output.WriteLine($"{"rate/s",7} {"sent/s",7} {"send p50/p95/p99 ms",22} {"verify p50/p95/p99 ms",22} {"in hand p50/p95/p99 ms",24} {"errors",7} {"backlog",8} {"drain s",8} {"ops send/verify/deliv",22}");
        foreach (var step in summary.Steps)
        {
            var ops = step.StorageOpsPerSend is null ? "-" : $"{step.StorageOpsPerSend:0.00}/{step.StorageOpsPerVerify:0.00}/{step.StorageOpsPerDeliveryBackground:0.00}";
            output.WriteLine(
                $"{step.OfferedRate,7:0.#} {step.SendThroughput,7:0.0} {Triple(step.Send),22} {Triple(step.Verify),22} {Triple(step.CodeInHand),24} " +
                $"{step.SendErrors + step.VerifyErrors,7} {step.BacklogAtEnd,8} {(step.DrainSeconds is { } drain ? drain.ToString("0.0", CultureInfo.InvariantCulture) : "-"),8} {ops,22}");
        }

        foreach (var step in summary.Steps.Where(step => step.Errors.Count > 0))
        {
            output.WriteLine($"  errors at {step.OfferedRate:0.#}/s: {string.Join(", ", step.Errors.Select(e => $"{e.Key} x{e.Value}"))}");
        }

        PrintCpu(output, summary.Steps, summary.IdleCpu);
        output.WriteLine();
        output.WriteLine($"send capacity (most 202s per second in a step): {summary.SendCapacity:0.0}/s");
        output.WriteLine(summary.DeliveryCapacity is { } delivery
            ? $"delivery capacity (most codes delivered per second, in a step or draining after one): {delivery:0.0}/s = {summary.DeliveryToSendRatio:0.00} x send capacity"
            : $"delivery capacity: no backlog formed; at least {summary.DeliveredPerSecondLowerBound:0.0}/s delivered in a step");
        output.WriteLine(summary.SaturationRate is { } rate ? $"saturation: from {rate:0.#}/s ({summary.SaturationReason})" : "saturation: not reached at these rates");
        foreach (var goal in new[] { summary.HalfCapacityCodeInHand, summary.HalfCapacityBacklog, summary.BurstDrain })
        {
            output.WriteLine($"goal: {goal.Description}: at {goal.AtRate:0.#}/s measured {goal.Measured:0.##} -> {(goal.Met ? "met" : "NOT met")}");
        }
    }

    /// <summary>Per step and process: CPU milliseconds per verified user, and how busy the machine was around it.</summary>
    public static void PrintCpu(TextWriter output, IReadOnlyList<StepResult> steps, StepCpu? idle = null)
    {
        var measured = steps.Where(step => step.Cpu is not null).ToList();
        if (measured.Count == 0)
        {
            return;
        }

        var processes = measured[0].Cpu!.Processes;
        output.WriteLine();
        output.WriteLine("CPU per verified user, ms (utime+stime+cutime+cstime from /proc/<pid>/stat, from a step's first arrival until its last user is done):");
        output.WriteLine($"{"rate/s",7} {"verified",9} {"window s",9} {string.Join(" ", processes.Select(process => process.Role.PadLeft(Math.Max(12, process.Role.Length))))} {"machine busy cores",19} {"others' cores",14} {"load avg",12}");
        foreach (var step in measured)
        {
            var cpu = step.Cpu!;
            var cells = cpu.Processes.Select((use, index) => Number(use.MsPerVerifiedUser, "0.00").PadLeft(Math.Max(12, processes[Math.Min(index, processes.Count - 1)].Role.Length)));
            output.WriteLine(
                $"{step.OfferedRate,7:0.#} {cpu.VerifiedUsers,9} {cpu.WindowSeconds,9:0.0} {string.Join(" ", cells)} {Number(cpu.MachineBusyCores, "0.00"),19} " +
                $"{Number(cpu.OtherProcessesBusyCores, "0.00"),14} {$"{Number(cpu.LoadAverageAtStart, "0.0")}-{Number(cpu.LoadAverageAtEnd, "0.0")}",12}");
        }

        if (idle is not null)
        {
            PrintAboveIdle(output, measured, idle);
        }

        foreach (var process in measured[^1].Cpu!.Processes)
        {
            output.WriteLine($"  {process.Role} (pid {process.Pid?.ToString(CultureInfo.InvariantCulture) ?? "not found"}): {process.Note}");
        }

        output.WriteLine("  others' cores: the whole machine's busy time (/proc/stat) less the processes above: other people's builds and tests.");
    }

    // What each process used beyond its idle rate over the same window, per verified user.
    private static void PrintAboveIdle(TextWriter output, IReadOnlyList<StepResult> measured, StepCpu idle)
    {
        var idleCores = idle.Processes.ToDictionary(use => use.Role, use => use.Cores, StringComparer.Ordinal);
        output.WriteLine($"  idle ({idle.WindowSeconds:0.0} s, no arrivals), cores: {string.Join(", ", idle.Processes.Select(use => $"{use.Role} {Number(use.Cores, "0.000")}"))}; machine {Number(idle.MachineBusyCores, "0.00")}, others {Number(idle.OtherProcessesBusyCores, "0.00")}");
        foreach (var step in measured)
        {
            var cpu = step.Cpu!;
            var above = cpu.Processes.Select(use => use.CpuSeconds is { } used && idleCores.GetValueOrDefault(use.Role) is { } cores && cpu.VerifiedUsers > 0
                ? $"{use.Role} {(used - cores * cpu.WindowSeconds) * 1000 / cpu.VerifiedUsers:0.00}"
                : $"{use.Role} -");
            output.WriteLine($"  {step.OfferedRate:0.#}/s above idle, ms per verified user: {string.Join(", ", above)}");
        }
    }

    public static async Task WriteJsonAsync(string path, OpenLoopSummary summary)
    {
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, Json));
    }

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    private static string Triple(LatencySummary latency) =>
        latency.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{latency.P50:0}/{latency.P95:0}/{latency.P99:0}");
}

/// <summary>Everything one run measured: per-step figures, capacities, the saturation point and the goals.</summary>
public sealed record OpenLoopSummary(
    string Host,
    int Cores,
    DateTimeOffset MeasuredAt,
    IReadOnlyList<StepResult> Steps,
    double? SaturationRate,
    string? SaturationReason,
    double SendCapacity,
    double? DeliveryCapacity,
    double DeliveredPerSecondLowerBound,
    double? DeliveryToSendRatio,
    Goal HalfCapacityCodeInHand,
    Goal HalfCapacityBacklog,
    Goal BurstDrain)
{
    /// <summary>CPU per process with no arrivals (<c>--idle</c>), the baseline the steps' figures sit on.</summary>
    public StepCpu? IdleCpu { get; init; }
}

/// <summary>One of the issue's goals, where it was checked, what was measured and whether it holds.</summary>
public sealed record Goal(string Description, double AtRate, double Measured, bool Met);
