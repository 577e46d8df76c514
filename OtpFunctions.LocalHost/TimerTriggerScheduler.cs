using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace OtpFunctions.LocalHost;

/// <summary>Runs each <c>[TimerTrigger]</c> on its NCRONTAB (six fields, with seconds) or TimeSpan schedule.</summary>
public sealed partial class TimerTriggerScheduler(
    FunctionCatalog catalog,
    IConfiguration configuration,
    IServiceProvider services,
    TimeProvider time,
    ILogger<TimerTriggerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Timers.Select(timer => RunAsync(timer.Function, timer.Trigger, stoppingToken)));

    public static Func<DateTime, DateTime> ParseSchedule(string expression)
    {
        if (TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return last => last + interval;
        }

        var schedule = CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 });
        return schedule.GetNextOccurrence;
    }

    private async Task RunAsync(FunctionEntry function, TimerTriggerAttribute trigger, CancellationToken stoppingToken)
    {
        var next = ParseSchedule(BindingExpressions.Resolve(trigger.Schedule, configuration));
        var last = time.GetUtcNow().UtcDateTime;
        if (trigger.RunOnStartup)
        {
            await InvokeAsync(function, last, last, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var due = next(time.GetUtcNow().UtcDateTime);
            var wait = due - time.GetUtcNow().UtcDateTime;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await InvokeAsync(function, last, next(due), stoppingToken);
            last = due;
        }
    }

    private async Task InvokeAsync(FunctionEntry function, DateTime last, DateTime next, CancellationToken stoppingToken)
    {
        try
        {
            var timer = new TimerInfo { ScheduleStatus = new ScheduleStatus { Last = last, Next = next, LastUpdated = time.GetUtcNow().UtcDateTime } };
            await FunctionInvoker.InvokeTimerAsync(function, services, timer, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            TimerFailed(logger, function.Name, exception.Message);
        }
    }

    [LoggerMessage(5101, LogLevel.Error, "Timer function {Function} failed: {Reason}")]
    private static partial void TimerFailed(ILogger logger, string function, string reason);
}
