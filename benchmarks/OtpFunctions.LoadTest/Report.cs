using System.Globalization;

namespace OtpFunctions.LoadTest;

/// <summary>Collects each phase's figures and prints the table, the storage breakdown and the ratios.</summary>
public sealed class Report(LoadTestOptions options)
{
    private const int SendTarget = 3;
    private const int VerifyTarget = 2;
    private const double RatioTarget = 0.8;

    private readonly List<Row> rows = [];

    public void Add(LatencyStats stats, TimeSpan elapsed, IReadOnlyDictionary<(string Route, string Operation), long> storage) =>
        rows.Add(new Row(stats, elapsed, storage));

    public void AddLatencyOnly(LatencyStats stats) => rows.Add(new Row(stats, null, null));

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Results: concurrency {options.Concurrency}, {options.Duration.TotalSeconds:0.#}s per phase");
        output.WriteLine($"{"route",-36} {"requests",9} {"req/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"errors",7} {"storage/req",11}");
        foreach (var row in rows)
        {
            var throughput = row.Elapsed is { } elapsed ? (row.Stats.Count / elapsed.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture) : "-";
            var trips = row.Storage is null ? "-" : RoundTrips(row).ToString("0.00", CultureInfo.InvariantCulture);
            output.WriteLine($"{row.Stats.Name,-36} {row.Stats.Count,9} {throughput,8} {row.Stats.Percentile(50),8:0.0} {row.Stats.Percentile(95),8:0.0} {row.Stats.Percentile(99),8:0.0} {row.Stats.ErrorCount,7} {trips,11}");
        }

        output.WriteLine();
        output.WriteLine("Storage operations per request, by kind:");
        foreach (var row in rows.Where(r => r.Storage is not null))
        {
            foreach (var group in row.Storage!.GroupBy(pair => pair.Key.Route).OrderBy(g => g.Key == StorageRequestCounter.Background ? 1 : 0))
            {
                var label = group.Key == row.Stats.Name ? group.Key : $"{group.Key} (during {row.Stats.Name})";
                var kinds = group.OrderBy(pair => pair.Key.Operation, StringComparer.Ordinal)
                    .Select(pair => $"{pair.Key.Operation} {pair.Value / (double)Math.Max(1, row.Stats.Count):0.00}");
                output.WriteLine($"  {label}: {string.Join(", ", kinds)}");
            }
        }

        var errors = rows.Where(r => r.Stats.ErrorCount > 0).ToList();
        if (errors.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Errors:");
            foreach (var row in errors)
            {
                output.WriteLine($"  {row.Stats.Name}: {string.Join(", ", row.Stats.Errors.Select(e => $"{e.Key} x{e.Value}"))}");
            }
        }

        output.WriteLine();
        output.WriteLine("Service against the storage floor:");
        PrintRatio(output, "send", Find(ServiceLoad.SendRoute), Find(StorageFloor.SendRoute), Find(StorageFloor.SendAsBuiltRoute), SendTarget);
        PrintRatio(output, "verify", Find(ServiceLoad.VerifyRoute), Find(StorageFloor.VerifyRoute), null, VerifyTarget);
    }

    private static void PrintRatio(TextWriter output, string name, Row? service, Row? floor, Row? asBuilt, int targetTrips)
    {
        if (service is null || floor is null)
        {
            return;
        }

        var ratio = Throughput(service) / Throughput(floor);
        var trips = RoundTrips(service);
        output.WriteLine(
            $"  {name,-6}: {Throughput(service),7:0.0} req/s vs floor {Throughput(floor),7:0.0} req/s ({RoundTrips(floor):0} storage ops) = ratio {ratio:0.00} " +
            $"(target >= {RatioTarget:0.0}: {(ratio >= RatioTarget ? "met" : "NOT met")}); " +
            $"storage round trips {trips:0.00} (target <= {targetTrips}: {(trips <= targetTrips + 0.005 ? "met" : "NOT met")})");
        if (asBuilt is not null)
        {
            output.WriteLine($"  {"",-6}  against a floor of the operations it makes today ({RoundTrips(asBuilt):0} ops, {Throughput(asBuilt):0.0} req/s): ratio {Throughput(service) / Throughput(asBuilt):0.00}");
        }
    }

    private Row? Find(string name) => rows.FirstOrDefault(r => r.Stats.Name == name);

    private static double Throughput(Row row) => row.Stats.Count / row.Elapsed!.Value.TotalSeconds;

    private static double RoundTrips(Row row) =>
        row.Storage!.Where(pair => pair.Key.Route == row.Stats.Name).Sum(pair => pair.Value) / (double)Math.Max(1, row.Stats.Count);

    private sealed record Row(LatencyStats Stats, TimeSpan? Elapsed, IReadOnlyDictionary<(string Route, string Operation), long>? Storage);
}
