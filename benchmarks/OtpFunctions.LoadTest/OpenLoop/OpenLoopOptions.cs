using System.Globalization;

namespace OtpFunctions.LoadTest.OpenLoop;

/// <summary>
/// <c>--open-loop --rates 10,20,40,80 --step 15s [--host local|real] [--json FILE] [--chart FILE.svg]
/// [--drain 60s] [--functions-host PATH] [--app DIR] [--set KEY=VALUE ...]</c>.
/// </summary>
public sealed record OpenLoopOptions(
    IReadOnlyList<double> Rates,
    TimeSpan Step,
    TimeSpan Drain,
    string Host,
    string? JsonPath,
    string? ChartPath,
    string FunctionsHost,
    string AppDirectory)
{
    /// <summary><c>--shared-azurite</c>: use the Azurite on 10000-10002 instead of starting one of its own.</summary>
    public bool SharedAzurite { get; init; }

    /// <summary>
    /// <c>--idle 10s</c>: after the warm-up, measure each process's CPU with no arrivals for this long, so the report can
    /// tell the per-user cost above what the processes burn anyway (polls, timers, leases). Off (zero) by default.
    /// </summary>
    public TimeSpan Idle { get; init; }

    /// <summary>
    /// The workspace's <c>shared/functions-host/run</c> beside the repository (<c>../shared/functions-host/run</c> from
    /// the root, found by walking up to OtpFunctions.sln), or <c>FUNCTIONS_HOST_RUN</c> as the real-host tests read it.
    /// </summary>
    public static string DefaultFunctionsHost =>
        Environment.GetEnvironmentVariable("FUNCTIONS_HOST_RUN") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(OtpFunctions.Tests.Support.RepoRoot.Path, "..", "shared", "functions-host", "run"));

    /// <summary><c>--set Otp:MaxSendsGlobal=500</c> (repeatable): settings for the host under load, over the run's own.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public const string Usage = "--open-loop --rates 10,20,40 --step 15s [--host local|real] [--json FILE] [--chart FILE.svg] [--drain 60s] [--functions-host PATH] [--app DIR] [--shared-azurite] [--idle 10s] [--set KEY=VALUE ...]";

    public static bool Requested(string[] args) => args.Contains("--open-loop");

    public static OpenLoopOptions Parse(string[] args)
    {
        var options = new OpenLoopOptions(
            [10, 20, 40, 60, 80, 120, 160],
            TimeSpan.FromSeconds(15),
            TimeSpan.FromSeconds(60),
            "local",
            null,
            null,
            DefaultFunctionsHost,
            "OtpFunctions/bin/Release/net10.0");
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--open-loop" or "--shared-azurite")
            {
                options = args[i] == "--shared-azurite" ? options with { SharedAzurite = true } : options;
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value. Usage: {Usage}");
            options = args[i] switch
            {
                "--rates" => options with { Rates = value.Split(',').Select(rate => double.Parse(rate, CultureInfo.InvariantCulture)).ToArray() },
                "--step" => options with { Step = LoadTestOptions.ParseDuration(value) },
                "--drain" => options with { Drain = LoadTestOptions.ParseDuration(value) },
                "--host" => options with { Host = value },
                "--json" => options with { JsonPath = value },
                "--chart" => options with { ChartPath = value },
                "--functions-host" => options with { FunctionsHost = value },
                "--app" => options with { AppDirectory = value },
                "--idle" => options with { Idle = LoadTestOptions.ParseDuration(value) },
                "--set" => options with { Settings = With(options.Settings, value) },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Usage: {Usage}"),
            };
            i++;
        }

        if (options.Rates.Count == 0 || options.Rates.Any(rate => rate <= 0) || options.Step <= TimeSpan.Zero || options.Host is not ("local" or "real"))
        {
            throw new ArgumentException($"--rates must be positive, --step positive, --host local or real. Usage: {Usage}");
        }

        return options;
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> settings, string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals < 1)
        {
            throw new ArgumentException($"--set takes KEY=VALUE, not {pair}. Usage: {Usage}");
        }

        return new Dictionary<string, string>(settings) { [pair[..equals]] = pair[(equals + 1)..] };
    }
}
