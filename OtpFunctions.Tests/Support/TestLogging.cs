using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;

namespace OtpFunctions.Tests.Support;

internal sealed record LogEntry(LogLevel Level, string Message);

internal sealed class ListLogger<T> : ILogger<T>
{
    public List<LogEntry> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add(new LogEntry(logLevel, formatter(state, exception)));
}

internal static class TestEnvironments
{
    public static IHostEnvironment Named(string name) => new HostingEnvironment { EnvironmentName = name, ApplicationName = "OtpFunctions.Tests", ContentRootPath = AppContext.BaseDirectory };
}
