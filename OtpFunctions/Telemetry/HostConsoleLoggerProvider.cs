namespace OtpFunctions.Telemetry;

/// <summary>
/// Writes the lines logged outside any function invocation to the worker's standard output (errors to standard
/// error), which the Functions host reads and logs under <c>Host.Function.Console</c>: its console under
/// <c>func start</c>, the log stream and the host's telemetry in Azure.
/// The worker forwards every line over gRPC, but the host keeps only lines that carry the id of an invocation it is
/// running and silently drops the rest (its event 822, <c>IgnoringRpcLog</c>), so start-up lines (random Development
/// keys, the delivery providers chosen, guessable codes, storage not ready, a hosted service that failed) never
/// reached an operator. Lines inside invocations already arrive over gRPC and are not repeated here, as the worker
/// drops its console logger to avoid duplicates. Errors go to standard error, which the host logs at Error and quotes
/// when the worker exits. See docs/monitoring.md.
/// </summary>
[ProviderAlias("HostConsole")]
internal sealed class HostConsoleLoggerProvider(TextWriter output, TextWriter error) : ILoggerProvider, ISupportExternalScope
{
    // The worker's own invocation scope (OpenTelemetry schema 1.37.0) and the key InvocationLogScope adds.
    private static readonly string[] InvocationKeys = ["faas.invocation_id", InvocationLogScope.InvocationIdKey];

    private readonly Lock writing = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public HostConsoleLoggerProvider()
        : this(Console.Out, Console.Error)
    {
    }

    public ILogger CreateLogger(string categoryName) => new HostConsoleLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>Our own lines from Information up; other libraries' only from Warning up, as they are chatty at start.</summary>
    internal static bool Writes(string category, LogLevel level) =>
        level != LogLevel.None && (level >= LogLevel.Warning || (level >= LogLevel.Information && category.StartsWith(nameof(OtpFunctions), StringComparison.Ordinal)));

    internal bool InsideInvocation()
    {
        var inside = false;
        scopes.ForEachScope(
            (scope, _) => inside |= scope is IEnumerable<KeyValuePair<string, object>> pairs && pairs.Any(pair => InvocationKeys.Contains(pair.Key)),
            (object?)null);
        return inside;
    }

    internal void Write(string category, LogLevel level, EventId eventId, string message, Exception? exception)
    {
        // One line per entry: the host logs each line it reads as one entry.
        var line = $"{LevelName(level)}: {category}[{eventId.Id}] {Flatten(message)}{(exception is null ? "" : " | " + Describe(exception))}";
        lock (writing)
        {
            var writer = level >= LogLevel.Error ? error : output;
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            parts.Add($"{current.GetType().FullName}: {Flatten(current.Message)}");
        }

        return string.Join(" ---> ", parts);
    }

    private static string Flatten(string text) => text.ReplaceLineEndings(" ");

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private sealed class HostConsoleLogger(HostConsoleLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => Writes(category, logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && !provider.InsideInvocation())
            {
                provider.Write(category, logLevel, eventId, formatter(state, exception), exception);
            }
        }
    }
}
