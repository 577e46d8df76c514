using System.Globalization;
using OtpFunctions.LoadTest;
using OtpFunctions.LoadTest.OpenLoop;
using OtpFunctions.Tests.Support;

// Usage: dotnet run -c Release --project benchmarks/OtpFunctions.LoadTest -- --concurrency 32 --duration 20s
//    or: dotnet run -c Release --project benchmarks/OtpFunctions.LoadTest -- --open-loop --rates 10,20,40 --step 15s --json out.json --chart out.svg
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (OpenLoopOptions.Requested(args))
{
    return await OpenLoopProgram.RunAsync(OpenLoopOptions.Parse(args));
}

var options = LoadTestOptions.Parse(args);
await Azurite.EnsureRunningAsync();
Console.WriteLine($"OTP load test: concurrency {options.Concurrency}, {options.Duration.TotalSeconds:0.#}s per phase (warm-up {options.Warmup.TotalSeconds:0.#}s), {Environment.ProcessorCount} cores, Azurite on 127.0.0.1");

var report = new Report(options);
var counter = new StorageRequestCounter();

// The service: send phase, then verify phase over the challenges it sent (each flow: send, code, verify).
await using (var service = await ServiceLoad.StartAsync())
{
    Console.WriteLine("service: warming up");
    await Phase.RunAsync(options.Concurrency, options.Warmup, () => service.SendAsync(new LatencyStats("warm-up")));
    await Phase.RunAsync(options.Concurrency, options.Warmup, () => service.VerifyAsync(new LatencyStats("warm-up"), new LatencyStats("warm-up")));
    service.DropPending();

    Console.WriteLine("service: send phase");
    var send = new LatencyStats(ServiceLoad.SendRoute);
    service.Counter.Reset();
    var sendElapsed = await Phase.RunAsync(options.Concurrency, options.Duration, () => service.SendAsync(send));
    report.Add(send, sendElapsed, service.Counter.Snapshot());

    Console.WriteLine("service: waiting for the send phase's codes to be delivered");
    var backlog = await service.WaitForDeliveriesAsync();
    Console.WriteLine($"service: the send phase's codes were all delivered {backlog.TotalSeconds:F0}s after it ended");
    Console.WriteLine("service: verify phase");
    var verify = new LatencyStats(ServiceLoad.VerifyRoute);
    var delivery = new LatencyStats("code delivery (202 to provider)");
    service.Counter.Reset();
    var verifyElapsed = await Phase.RunAsync(options.Concurrency, options.Duration, () => service.VerifyAsync(verify, delivery));
    report.Add(verify, verifyElapsed, service.Counter.Snapshot());
    report.AddLatencyOnly(delivery);
}

// The floor: the same operations straight on the SDK, same Azurite, same concurrency, no service.
var floor = await StorageFloor.CreateAsync(counter);
try
{
    Console.WriteLine("floor: warming up");
    await Phase.RunAsync(options.Concurrency, options.Warmup, () => floor.SendAsync(new LatencyStats("warm-up"), withIpLimit: false));
    await Phase.RunAsync(options.Concurrency, options.Warmup, () => floor.VerifyAsync(new LatencyStats("warm-up")));
    await floor.ResetAsync();

    foreach (var (name, operation) in new (string, Func<LatencyStats, Task<bool>>)[]
    {
        (StorageFloor.SendRoute, stats => floor.SendAsync(stats, withIpLimit: false)),
        (StorageFloor.VerifyRoute, floor.VerifyAsync),
        (StorageFloor.SendAsBuiltRoute, stats => floor.SendAsync(stats, withIpLimit: true)),
    })
    {
        Console.WriteLine($"floor: {name} phase");
        var stats = new LatencyStats(name);
        counter.Reset();
        var elapsed = await Phase.RunAsync(options.Concurrency, options.Duration, () => operation(stats));
        report.Add(stats, elapsed, counter.Snapshot());
        if (name != StorageFloor.SendRoute)
        {
            await floor.ResetAsync();
        }
    }
}
finally
{
    await floor.DeleteAsync();
}

report.Print(Console.Out);
return 0;
