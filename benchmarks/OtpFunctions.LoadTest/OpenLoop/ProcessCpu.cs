using System.Globalization;

namespace OtpFunctions.LoadTest.OpenLoop;

/// <summary>
/// What the OS says a process has run: <c>utime + stime</c> of <c>/proc/&lt;pid&gt;/stat</c> (every thread of it) plus
/// <c>cutime + cstime</c> (children it has reaped, e.g. a shell's short-lived helpers), in clock ticks. Linux only;
/// elsewhere every reading is null and the report says so.
/// </summary>
public static class ProcessCpu
{
    /// <summary>
    /// Clock ticks per second: /proc reports times in USER_HZ, which the kernel's ABI fixes at 100 on x86 and ARM
    /// whatever its internal tick rate (a reading is therefore good to 10 ms).
    /// </summary>
    public const double TicksPerSecond = 100;

    /// <summary>CPU time the process and its reaped children have used, in ticks; null when it is gone or unreadable.</summary>
    public static long? Ticks(int pid)
    {
        var fields = StatFields(pid);
        return fields is null ? null : Field(fields, 14) + Field(fields, 15) + Field(fields, 16) + Field(fields, 17);
    }

    /// <summary>The parent of <paramref name="pid"/>.</summary>
    public static int? ParentOf(int pid) => StatFields(pid) is { } fields ? (int)Field(fields, 4) : null;

    /// <summary>The command line, arguments separated by spaces.</summary>
    public static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The newest live descendant of <paramref name="ancestor"/> whose command line contains <paramref name="text"/>.</summary>
    public static int? DescendantOf(int ancestor, string text) =>
        Pids().Where(pid => pid != ancestor && IsDescendant(pid, ancestor) && CommandLine(pid)?.Contains(text, StringComparison.Ordinal) == true)
            .Cast<int?>().DefaultIfEmpty(null).Max();

    /// <summary>
    /// The process listening on TCP <paramref name="port"/> in this network namespace: the socket's inode from
    /// <c>/proc/net/tcp{,6}</c>, then the process holding that inode among its file descriptors.
    /// </summary>
    public static int? ListenerOn(int port)
    {
        var inodes = ListeningInodes(port);
        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var pid in Pids())
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)))
                {
                    return pid;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    /// <summary>Busy and total ticks of the whole machine (<c>/proc/stat</c>'s first line): every process, ours or not.</summary>
    public static (long Busy, long Total)? Machine()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(value => long.Parse(value, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal
            var idle = ticks[3] + ticks[4];
            return (ticks.Sum() - idle, ticks.Sum());
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The one-minute load average (<c>/proc/loadavg</c>).</summary>
    public static double? LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static bool IsDescendant(int pid, int ancestor)
    {
        for (var (current, hops) = (ParentOf(pid), 0); current is > 1 && hops < 64; current = ParentOf(current.Value), hops++)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string> ListeningInodes(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        var hexPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode; st 0A is LISTEN.
            foreach (var columns in File.ReadLines(table).Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            {
                if (columns.Length > 9 && columns[1].EndsWith(hexPort, StringComparison.Ordinal) && columns[3] == "0A")
                {
                    inodes.Add($"socket:[{columns[9]}]");
                }
            }
        }

        return inodes;
    }

    private static IEnumerable<int> Pids() =>
        Directory.Exists("/proc")
            ? Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(name => name!.All(char.IsAsciiDigit)).Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
            : [];

    // The fields after the command name, which sits in parentheses and may itself hold spaces or parentheses.
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // proc(5) numbers the fields from 1 with the pid first and the command second; StatFields starts at the third.
    private static long Field(string[] fields, int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
}
