using System.Diagnostics;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.LoadTest.OpenLoop;

/// <summary>
/// An Azurite of the load test's own, in memory on free loopback ports: the shared one on 10000-10002 serves
/// every engineer's tests, which a run past saturation would slow down (and whose own growing tables would
/// skew the figures). Stopped when the run ends.
/// </summary>
public sealed class PrivateAzurite : IAsyncDisposable
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process process;

    private PrivateAzurite(Process process, string connectionString)
    {
        this.process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>Azurite's own pid: the azurite script's shebang execs node in the process started here.</summary>
    public int Pid => process.Id;

    public static async Task<PrivateAzurite> StartAsync()
    {
        var executable = Path.Combine(RepoRoot.Path, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run `npm ci` in {RepoRoot.Path}.");
        }

        var (blob, queue, table) = (Loopback.FreePort(), Loopback.FreePort(), Loopback.FreePort());
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Directory.CreateTempSubdirectory("azurite-load-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}", "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Azurite.WaitUntilListeningAsync(process, async () => await Loopback.IsListeningAsync(blob) && await Loopback.IsListeningAsync(queue) && await Loopback.IsListeningAsync(table));

        return new PrivateAzurite(process, $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
