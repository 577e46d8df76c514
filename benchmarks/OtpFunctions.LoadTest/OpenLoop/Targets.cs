using System.Diagnostics;
using System.Text.Json;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpFunctions.LocalHost;
using OtpFunctions.Storage;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.LoadTest.OpenLoop;

/// <summary>The service under load: where to send requests, and how deep its delivery queue is.</summary>
public abstract class OpenLoopTarget : IAsyncDisposable
{
    private readonly QueueClient queue;

    protected OpenLoopTarget(string name, Uri apiBase, string storage, string queueName, IReadOnlyDictionary<string, string>? headers = null)
    {
        Name = name;
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        Client = new HttpClient(handler) { BaseAddress = apiBase, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            Client.DefaultRequestHeaders.Add(key, value);
        }

        queue = new QueueClient(storage, queueName);
    }

    public string Name { get; }

    public HttpClient Client { get; }

    /// <summary>Storage requests by route, when the service runs in this process (local host only).</summary>
    public virtual StorageRequestCounter? Counter => null;

    /// <summary>The processes whose CPU a step reads from the OS besides Azurite: the app, its host, the load generator.</summary>
    public virtual IReadOnlyList<MeasuredProcess> Processes => [];

    /// <summary>Messages waiting in the delivery queue (Azure's approximate count).</summary>
    public async Task<int> QueueDepthAsync() => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    /// <summary>What both hosts are configured with: their own table and queue, limits out of the way, ACS at the sink.</summary>
    protected static Dictionary<string, string> Settings(string storage, string suffix, ProviderSink sink, IReadOnlyDictionary<string, string> overrides)
    {
        var settings = Settings(storage, suffix, sink);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static Dictionary<string, string> Settings(string storage, string suffix, ProviderSink sink) => new()
    {
        ["OtpStorage"] = storage,
        ["Otp:Storage:Table"] = "ol" + suffix,
        ["OTP_DELIVERY_QUEUE"] = QueueName(suffix),
        ["OTP_SWEEP_SCHEDULE"] = "0 0 0 1 1 *",
        // Every flow has its own destination and client address; the limits must not be what we measure.
        ["Otp:MaxSendsPerIp"] = "100000000",
        ["Otp:MaxSendsPerDestination"] = "1000000",
        ["Otp:Delivery:Sms:Provider"] = "Acs",
        ["Otp:Delivery:Sms:ConnectionString"] = sink.ConnectionString,
        ["Otp:Delivery:Sms:From"] = "+18005550199",
        ["Otp:Delivery:Email:Provider"] = "Acs",
        ["Otp:Delivery:Email:ConnectionString"] = sink.ConnectionString,
        ["Otp:Delivery:Email:From"] = "DoNotReply@example.com",
    };

    protected static string QueueName(string suffix) => "ol-delivery-" + suffix;

    public virtual async ValueTask DisposeAsync()
    {
        Client.Dispose();
        GC.SuppressFinalize(this);
        await Task.CompletedTask;
    }
}

/// <summary>The local host (Kestrel + the function classes) in this process, with the storage request counter.</summary>
public sealed class LocalTarget : OpenLoopTarget
{
    private readonly WebApplication app;
    private readonly StorageRequestCounter counter;

    private LocalTarget(WebApplication app, StorageRequestCounter counter, string storage, string queueName)
        : base("local host", new Uri(app.Urls.First() + "/api/"), storage, queueName)
    {
        this.app = app;
        this.counter = counter;
    }

    public override StorageRequestCounter? Counter => counter;

    // One process, one thread pool: the app's requests, its queue listener, the load generator's flows and the
    // provider sink run on the same threads, so no OS figure separates them (the real host does).
    public override IReadOnlyList<MeasuredProcess> Processes =>
    [
        new("app + local host + load generator", "one process: the app's functions in the local host, the load generator and the provider sink share its thread pool; the OS cannot split them (use --host real for the app worker alone)", () => Environment.ProcessId),
    ];

    public static async Task<LocalTarget> StartAsync(string storage, ProviderSink sink, IReadOnlyDictionary<string, string> overrides)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var builder = LocalFunctionsHost.CreateBuilder(["--urls", "http://127.0.0.1:0", "--environment", "Development"], loadLocalSettings: false);
        builder.Configuration.AddInMemoryCollection(Settings(storage, suffix, sink, overrides).Select(pair => KeyValuePair.Create(pair.Key, (string?)pair.Value)));
        // Errors are what the load test counts; past saturation the host would log a stack trace for each.
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        var counter = new StorageRequestCounter();
        builder.Services.AddSingleton<HttpPipelinePolicy>(counter);
        var app = LocalFunctionsHost.Build(builder);
        StorageRequestCounter.NameRequestsByRoute(app);
        await app.StartAsync();
        await app.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return new LocalTarget(app, counter, storage, QueueName(suffix));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        var storage = app.Services.GetRequiredService<OtpStorage>();
        await app.StopAsync();
        await app.DisposeAsync();
        await DeleteStorageAsync(storage);
    }

    internal static async Task DeleteStorageAsync(OtpStorage storage)
    {
        try
        {
            await storage.Table.DeleteAsync();
            await storage.Queue.DeleteIfExistsAsync();
            await storage.PoisonQueue.DeleteIfExistsAsync();
        }
        catch (Azure.RequestFailedException exception)
        {
            Console.Error.WriteLine($"Could not delete the load test's table and queues: {exception.Message}");
        }
    }
}

/// <summary>
/// The real Azure Functions host (<c>../shared/functions-host/run</c> from the repository root) running the built app as a child
/// process on a free loopback port, configured through a generated local.settings.json.
/// </summary>
public sealed class RealHostTarget : OpenLoopTarget
{
    private const string HostKey = "local-development-key";
    private readonly Process process;
    private readonly string settingsPath;
    private readonly string suffix;
    private readonly string storage;
    private int? worker;

    private RealHostTarget(Process process, int port, string settingsPath, string storage, string suffix)
        : base("real Functions host", new Uri($"http://127.0.0.1:{port}/api/"), storage, QueueName(suffix), new Dictionary<string, string> { ["x-functions-key"] = HostKey })
    {
        this.process = process;
        this.settingsPath = settingsPath;
        this.suffix = suffix;
        this.storage = storage;
    }

    // The run script execs the host (bash, env, then dotnet keep the pid), and the host starts the worker as its child.
    public override IReadOnlyList<MeasuredProcess> Processes =>
    [
        new("app worker", "the isolated worker (dotnet OtpFunctions.dll), the host's child: the app's own code, its storage and provider clients, gRPC to the host", LocateWorker),
        new("Functions host", "the host (Microsoft.Azure.WebJobs.Script.WebHost): HTTP front end, queue trigger polling and deletes, gRPC to the worker", () => process.HasExited ? null : process.Id),
        new("load generator", "the load test process: the open-loop clients and the provider sink (ACS stand-in)", () => Environment.ProcessId),
    ];

    private int? LocateWorker()
    {
        if (worker is not { } known || ProcessCpu.Ticks(known) is null)
        {
            worker = process.HasExited ? null : ProcessCpu.DescendantOf(process.Id, "OtpFunctions.dll");
        }

        return worker;
    }

    public static async Task<RealHostTarget> StartAsync(string storage, ProviderSink sink, string functionsHost, string appDirectory, IReadOnlyDictionary<string, string> overrides)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var values = Settings(storage, suffix, sink, overrides).ToDictionary(pair => pair.Key.Replace(":", "__", StringComparison.Ordinal), pair => pair.Value);
        values["AzureWebJobsStorage"] = storage;
        values["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        values["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        values["DOTNET_ENVIRONMENT"] = "Development";
        // Warnings only, like the local host: per-invocation logging would be part of what is measured otherwise.
        values["AzureFunctionsJobHost__logging__logLevel__default"] = "Warning";
        var settingsPath = Path.Combine(Path.GetTempPath(), $"otp-openloop-{suffix}.settings.json");
        await File.WriteAllTextAsync(settingsPath, JsonSerializer.Serialize(new { IsEncrypted = false, Values = values }));

        var port = Loopback.FreePort();
        var app = Path.GetFullPath(appDirectory, RepoRoot.Path);
        var start = new ProcessStartInfo(functionsHost)
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--settings", settingsPath, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), app })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{functionsHost} did not start.");
        var log = Path.Combine(Path.GetTempPath(), $"otp-openloop-{suffix}.host.log");
        _ = PumpAsync(process.StandardOutput, log);
        _ = PumpAsync(process.StandardError, log + ".err");
        var target = new RealHostTarget(process, port, settingsPath, storage, suffix);
        Console.WriteLine($"real host: pid {process.Id}, port {port}, log {log}");
        await target.WaitUntilServingAsync();
        return target;
    }

    private static async Task PumpAsync(StreamReader reader, string path)
    {
        await using var file = new StreamWriter(path);
        while (await reader.ReadLineAsync() is { } line)
        {
            await file.WriteLineAsync(line);
        }
    }

    private async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The Functions host exited with {process.ExitCode} before serving; see its log.");
            }

            try
            {
                using var response = await Client.GetAsync("health");
                if ((int)response.StatusCode is 200 or 503)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("The Functions host did not serve /api/health within 3 minutes.");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        File.Delete(settingsPath);
        var table = new Azure.Data.Tables.TableClient(storage, "ol" + suffix);
        try
        {
            await table.DeleteAsync();
            await new QueueClient(storage, QueueName(suffix)).DeleteIfExistsAsync();
            await new QueueClient(storage, QueueName(suffix) + "-poison").DeleteIfExistsAsync();
        }
        catch (Azure.RequestFailedException exception)
        {
            Console.Error.WriteLine($"Could not delete the load test's table and queues: {exception.Message}");
        }
    }
}
