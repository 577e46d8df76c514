using System.Diagnostics;

namespace OtpFunctions.LoadTest.OpenLoop;

/// <summary>
/// CPU each measured process used between <see cref="Start"/> and <see cref="Stop"/>, read from the OS, beside what
/// the whole machine used (other people's builds included), so a step's cost per verified user can be told apart
/// from the noise around it.
/// </summary>
public sealed class CpuWindow
{
    private readonly IReadOnlyList<MeasuredProcess> processes;
    private readonly Dictionary<string, (int Pid, long Ticks)> started = new(StringComparer.Ordinal);
    private readonly (long Busy, long Total)? machine = ProcessCpu.Machine();
    private readonly double? loadAverage = ProcessCpu.LoadAverage();
    private readonly long startedAt = Stopwatch.GetTimestamp();

    private CpuWindow(IReadOnlyList<MeasuredProcess> processes)
    {
        this.processes = processes;
        foreach (var process in processes)
        {
            if (process.Locate() is { } pid && ProcessCpu.Ticks(pid) is { } ticks)
            {
                started[process.Role] = (pid, ticks);
            }
        }
    }

    public static CpuWindow Start(IReadOnlyList<MeasuredProcess> processes) => new(processes);

    public StepCpu Stop(long verifiedUsers)
    {
        var seconds = Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
        var uses = processes.Select(process => Use(process, seconds, verifiedUsers)).ToList();
        var machineNow = ProcessCpu.Machine();
        double? busyCores = machine is { } before && machineNow is { } after
            ? (after.Busy - before.Busy) / ProcessCpu.TicksPerSecond / seconds
            : null;
        return new StepCpu(
            seconds,
            verifiedUsers,
            uses,
            busyCores,
            busyCores is { } busy ? Math.Max(0, busy - uses.Sum(use => use.Cores ?? 0)) : null,
            loadAverage,
            ProcessCpu.LoadAverage());
    }

    private ProcessCpuUse Use(MeasuredProcess process, double seconds, long verifiedUsers)
    {
        // The same pid at both ends, or nothing: a process that restarted mid-step has no honest figure.
        if (!started.TryGetValue(process.Role, out var start) || ProcessCpu.Ticks(start.Pid) is not { } ticks || process.Locate() != start.Pid)
        {
            return new ProcessCpuUse(process.Role, started.TryGetValue(process.Role, out var seen) ? seen.Pid : null, process.Note, null, null, null);
        }

        var cpuSeconds = (ticks - start.Ticks) / ProcessCpu.TicksPerSecond;
        return new ProcessCpuUse(
            process.Role,
            start.Pid,
            process.Note,
            cpuSeconds,
            verifiedUsers > 0 ? cpuSeconds * 1000 / verifiedUsers : null,
            cpuSeconds / seconds);
    }
}

/// <summary>A process a step measures: its role in the report, what it includes, and how to find its pid now.</summary>
public sealed record MeasuredProcess(string Role, string Note, Func<int?> Locate);

/// <summary>
/// One step's CPU: from its first arrival until its last user was verified (or the drain gave up), so the delivery
/// and verify work a step's users cause after its arrivals end is counted too.
/// </summary>
public sealed record StepCpu(
    double WindowSeconds,
    long VerifiedUsers,
    IReadOnlyList<ProcessCpuUse> Processes,
    double? MachineBusyCores,
    double? OtherProcessesBusyCores,
    double? LoadAverageAtStart,
    double? LoadAverageAtEnd);

/// <summary>One process's CPU in a step: seconds, milliseconds per verified user, cores kept busy on average (null: not found).</summary>
public sealed record ProcessCpuUse(string Role, int? Pid, string Note, double? CpuSeconds, double? MsPerVerifiedUser, double? Cores);
