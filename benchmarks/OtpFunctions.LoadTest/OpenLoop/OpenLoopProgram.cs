namespace OtpFunctions.LoadTest.OpenLoop;

/// <summary>The open-loop run end to end: sink, host, a warm-up, the rate steps, then the report, JSON and chart.</summary>
public static class OpenLoopProgram
{
    public static async Task<int> RunAsync(OpenLoopOptions options)
    {
        OpenLoopRun? run = null;
        if (options.SharedAzurite)
        {
            await OtpFunctions.Tests.Support.Azurite.EnsureRunningAsync();
        }

        await using var azurite = options.SharedAzurite ? null : await PrivateAzurite.StartAsync();
        var storage = azurite?.ConnectionString ?? OtpFunctions.Tests.Support.Azurite.ConnectionString;
        await using var sink = await ProviderSink.StartAsync((to, text, at) => run?.Arrived(to, text, at));
        await using OpenLoopTarget target = options.Host == "real"
            ? await RealHostTarget.StartAsync(storage, sink, options.FunctionsHost, options.AppDirectory, options.Settings)
            : await LocalTarget.StartAsync(storage, sink, options.Settings);
        var sharedAzurite = (int?)null;
        var azuriteProcess = azurite is null
            ? new MeasuredProcess("Azurite", "the shared Azurite (node), found as the listener on its table port 10002", () => sharedAzurite ??= ProcessCpu.ListenerOn(10002))
            : new MeasuredProcess("Azurite", "the run's own Azurite (node, in memory)", () => azurite.Pid);
        IReadOnlyList<MeasuredProcess> processes = [.. target.Processes, azuriteProcess];
        run = new OpenLoopRun(target, processes);
        Console.WriteLine($"OTP open-loop load test against the {target.Name}: rates {string.Join(", ", options.Rates)}/s, {options.Step.TotalSeconds:0.#}s each, {Environment.ProcessorCount} cores, {(azurite is null ? "the shared Azurite" : "its own Azurite (in memory)")}");

        Console.WriteLine("warm-up");
        await run.RunStepAsync(options.Rates[0], TimeSpan.FromSeconds(5), options.Drain);
        StepCpu? idle = null;
        if (options.Idle > TimeSpan.Zero)
        {
            Console.WriteLine($"idle for {options.Idle.TotalSeconds:0.#} s");
            var window = CpuWindow.Start(processes);
            await Task.Delay(options.Idle);
            idle = window.Stop(0);
        }

        var steps = new List<StepResult>();
        foreach (var rate in options.Rates)
        {
            var step = await run.RunStepAsync(rate, options.Step, options.Drain);
            steps.Add(step);
            Console.WriteLine($"  {rate:0.#}/s: {step.SendThroughput:0.0} sent/s, send p95 {step.Send.P95:0} ms, in hand p95 {step.CodeInHand.P95:0} ms, backlog {step.BacklogAtEnd}, drained in {step.DrainSeconds?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} s" +
                (OpenLoopReport.SaturationReason(step) is { } reason ? $" [saturated: {reason}]" : ""));
        }

        if (options.Settings.Count > 0)
        {
            Console.WriteLine($"settings: {string.Join(", ", options.Settings.Select(pair => $"{pair.Key}={pair.Value}"))}");
        }

        // Every answer of the run, warm-up included: what a budget admitted in its window is the 202s, whatever the step.
        Console.WriteLine($"whole run (warm-up included), by channel: {run.Totals()}");
        var report = new OpenLoopReport(target.Name, options, steps);
        var summary = report.Summarize() with { IdleCpu = idle };
        report.Print(Console.Out, summary);
        if (options.JsonPath is { } json)
        {
            await OpenLoopReport.WriteJsonAsync(json, summary);
            Console.WriteLine($"wrote {json}");
        }

        if (options.ChartPath is { } chart)
        {
            await File.WriteAllTextAsync(chart, LatencyChart.Render(summary));
            Console.WriteLine($"wrote {chart}");
        }

        return 0;
    }
}
