using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OtpFunctions.Tests.Support;

/// <summary>One log line as a host wrote it: its event id, level and rendered text.</summary>
public sealed record CapturedLog(int EventId, LogLevel Level, string Message);

/// <summary>Collects every log line of a host (add it with <c>services.AddSingleton&lt;ILoggerProvider&gt;(provider)</c>).</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger(entries);

    public void Dispose()
    {
    }

    public async Task<CapturedLog> WaitForAsync(int eventId, TimeSpan? timeout = null) =>
        (await Eventually.GetAsync(
            () => Task.FromResult(entries.FirstOrDefault(entry => entry.EventId == eventId)),
            entry => entry is not null,
            _ => $"no log line with event id {eventId}",
            timeout))!;

    private sealed class Logger(ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new CapturedLog(eventId.Id, logLevel, formatter(state, exception)));
    }
}
