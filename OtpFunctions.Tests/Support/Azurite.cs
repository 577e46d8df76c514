using System.Diagnostics;
using System.Net.Sockets;

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

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!await IsListeningAsync())
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Azurite did not start listening (exited: {process.HasExited}).");
                }

                await Task.Delay(100);
            }
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

    private static async Task<bool> IsListeningAsync()
    {
        foreach (var port in new[] { 10000, 10001, 10002 })
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(1));
            }
            catch (Exception exception) when (exception is SocketException or TimeoutException)
            {
                return false;
            }
        }

        return true;
    }
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
