using System.Diagnostics;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// Makes sure the Azure Storage emulator answers on 127.0.0.1:10000-10002, starting the pinned copy from
/// node_modules once per test run if nobody else has.
/// </summary>
public static class Azurite
{
    public const string ConnectionString = "UseDevelopmentStorage=true";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Process? process;

    public static async Task EnsureRunningAsync()
    {
        if (await IsListeningAsync())
        {
            return;
        }

        await Gate.WaitAsync();
        try
        {
            if (await IsListeningAsync())
            {
                return;
            }

            var root = RepoRoot.Path;
            var executable = Path.Combine(root, "node_modules", ".bin", "azurite");
            if (!File.Exists(executable))
            {
                throw new InvalidOperationException($"Azurite is not installed at {executable}: run `npm ci` in {root} (scripts/test does).");
            }

            var workingDirectory = Directory.CreateTempSubdirectory("azurite-").FullName;
            process = Process.Start(new ProcessStartInfo(executable)
            {
                ArgumentList = { "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1" },
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("Azurite did not start.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();

            await WaitUntilListeningAsync(process, IsListeningAsync);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static void Stop()
    {
        try
        {
            process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Waits for an emulator to listen, or fails at once when it exited instead.</summary>
    internal static async Task WaitUntilListeningAsync(Process emulator, Func<Task<bool>> isListening)
    {
        await Eventually.TrueAsync(async () => emulator.HasExited || await isListening(), "Azurite did not start listening", TimeSpan.FromSeconds(30));
        if (emulator.HasExited)
        {
            throw new InvalidOperationException($"Azurite exited with {emulator.ExitCode} before it listened.");
        }
    }

    private static async Task<bool> IsListeningAsync() =>
        await Loopback.IsListeningAsync(10000) && await Loopback.IsListeningAsync(10001) && await Loopback.IsListeningAsync(10002);
}

/// <summary>The repository root, found from the test binaries by the solution file.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "OtpFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("OtpFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>An Azurite of a test's own, on its own ports and folder, that the test may stop and start again.</summary>
public sealed class PrivateAzurite : IAsyncDisposable
{
    private readonly string location = Directory.CreateTempSubdirectory("azurite-private-").FullName;
    private readonly int blobPort = Loopback.FreePort();
    private readonly int queuePort = Loopback.FreePort();
    private readonly int tablePort = Loopback.FreePort();
    private Process? process;

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    /// <summary>Starts it, keeping its data on disk so a restart finds what was written before the stop.</summary>
    public async Task StartAsync()
    {
        var executable = Path.Combine(RepoRoot.Path, "node_modules", ".bin", "azurite");
        process = Process.Start(new ProcessStartInfo(executable)
        {
            ArgumentList =
            {
                "--silent", "--skipApiVersionCheck", "--loose", "--location", location,
                "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Azurite.WaitUntilListeningAsync(process, async () => await Loopback.IsListeningAsync(tablePort) && await Loopback.IsListeningAsync(queuePort));
    }

    /// <summary>Stops it the way an operator would (SIGTERM), so it saves its data first.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process?.Dispose();
    }
}
