using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// The built app under the real Azure Functions host (<c>../shared/functions-host/run</c>, the runtime <c>func start</c>
/// wraps and Azure runs) on a free loopback port, with its own table and queue, its console captured.
/// It proves what the local host cannot: indexing from functions.metadata, the gRPC worker channel, host keys, logging.
/// </summary>
public sealed class RealFunctionsHost : IAsyncDisposable
{
    /// <summary>The key the run script writes into the host's secrets for function- and admin-level routes.</summary>
    public const string Key = "real-host-test-key";

    private readonly Process process;
    private readonly StringBuilder console = new();
    private readonly string settingsFile;

    private RealFunctionsHost(Process process, int port, string settingsFile)
    {
        this.process = process;
        this.settingsFile = settingsFile;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>
    /// How long a test waits for the host to do something (a first invocation, a delivery, a console line): its cold
    /// paths compile as they go, and with other suites on the same two cores a first delivery once took past 60 s.
    /// Only a failing run waits this long.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public HttpClient Client { get; }

    /// <summary>Everything the host and its worker wrote to the console so far.</summary>
    public string Console
    {
        get
        {
            lock (console)
            {
                return console.ToString();
            }
        }
    }

    /// <summary>The app's build output next to this test assembly's configuration (Release in CI).</summary>
    public static string AppDirectory
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            return Path.Combine(RepoRoot.Path, "OtpFunctions", "bin", configuration, "net10.0");
        }
    }

    /// <summary>The run script: <c>FUNCTIONS_HOST_RUN</c>, else the workspace's <c>shared/functions-host/run</c> beside the repository.</summary>
    public static string RunScript =>
        Environment.GetEnvironmentVariable("FUNCTIONS_HOST_RUN") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(RepoRoot.Path, "..", "shared", "functions-host", "run"));

    public static async Task<RealFunctionsHost> StartAsync(IDictionary<string, string> values)
    {
        await Azurite.EnsureRunningAsync();
        if (!File.Exists(RunScript))
        {
            throw new InvalidOperationException($"The real Functions host is not at {RunScript}; set FUNCTIONS_HOST_RUN to its run script.");
        }

        if (!File.Exists(Path.Combine(AppDirectory, "functions.metadata")))
        {
            throw new InvalidOperationException($"No built app at {AppDirectory}: build the solution first.");
        }

        // Values go through a local.settings.json, as Core Tools users pass them; the run script exports them.
        var settingsFile = Path.Combine(Path.GetTempPath(), $"real-host-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(new { IsEncrypted = false, Values = values }));
        var port = Loopback.FreePort();
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { RunScript, "--port", port.ToString(), "--settings", settingsFile, AppDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["FUNCTIONS_HOST_KEY"] = Key;
        start.Environment["AzureWebJobsStorage"] = Azurite.ConnectionString;

        // Hosts sharing storage and a host id share one singleton lock, and only its holder runs timers:
        // a host id of its own keeps parallel test hosts from starving each other's timer.
        start.Environment["AzureFunctionsWebHost__hostid"] = "otp-test-" + Guid.NewGuid().ToString("N")[..20];
        var host = new RealFunctionsHost(Process.Start(start)!, port, settingsFile);
        try
        {
            await host.WaitUntilHealthyAsync(TimeSpan.FromMinutes(3));
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls the console until <paramref name="pattern"/> matches, and returns the match.</summary>
    public Task<System.Text.RegularExpressions.Match> WaitForConsoleAsync(string pattern, TimeSpan timeout)
    {
        var regex = new System.Text.RegularExpressions.Regex(pattern);
        return Eventually.GetAsync(
            () => Task.FromResult(regex.Match(Console)),
            match => match.Success,
            _ => $"'{pattern}' did not appear in the host's console. Last lines:\n{Tail()}",
            timeout);
    }

    /// <summary>Fails when <paramref name="code"/> appears as a token of its own: six digits also turn up inside request ids by chance.</summary>
    public static void AssertNoCode(string code, string text)
    {
        var found = System.Text.RegularExpressions.Regex.Match(text, $@"(?<![0-9A-Za-z]){code}(?![0-9A-Za-z])");
        Assert.False(found.Success, found.Success ? $"code found: ...{text[Math.Max(0, found.Index - 200)..Math.Min(text.Length, found.Index + 50)]}" : null);
    }

    /// <summary>
    /// Kills the app's worker process (SIGKILL, as when an instance dies), leaving the host to notice and start a new
    /// one; returns the killed process id. The worker is the process of this host's group running the app's dll.
    /// </summary>
    public int KillWorker()
    {
        if (WorkerProcessIds() is not [var worker, ..])
        {
            throw new InvalidOperationException($"No worker process in the host's process group {process.Id}:\n{Tail()}");
        }

        Process.GetProcessById(worker).Kill();
        return worker;
    }

    /// <summary>The app's worker processes in this host's process group (setsid made the run script its leader).</summary>
    public IReadOnlyList<int> WorkerProcessIds() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(directory => int.TryParse(Path.GetFileName(directory), out var pid) ? pid : -1)
            .Where(pid => pid > 0 && ProcessGroupOf(pid) == process.Id && CommandLineOf(pid).Contains("OtpFunctions.dll", StringComparison.Ordinal))];

    private static int ProcessGroupOf(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid pgrp ...", comm may hold spaces, so count from its closing parenthesis.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

            // A killed worker stays a zombie (state Z) until the host reaps it: it is no longer a worker.
            return fields[0] == "Z" ? -1 : int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static string CommandLineOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            // setsid made the host the leader of its own group: end it and its worker together.
            using var kill = Process.Start("kill", ["-TERM", "--", "-" + process.Id]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                using var forced = Process.Start("kill", ["-KILL", "--", "-" + process.Id]);
                await forced.WaitForExitAsync();
            }
        }

        process.Dispose();
        File.Delete(settingsFile);
    }

    private Task<bool> WaitUntilHealthyAsync(TimeSpan timeout) =>
        Eventually.GetAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The Functions host exited with {process.ExitCode}:\n{Tail()}");
                }

                try
                {
                    using var response = await Client.GetAsync("api/health");
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            healthy => healthy,
            _ => $"The Functions host did not answer /api/health:\n{Tail()}",
            timeout);

    private string Tail()
    {
        var text = Console;
        return text.Length > 6000 ? text[^6000..] : text;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (console)
        {
            console.AppendLine(line);
        }
    }
}
