using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace OtpFunctions.Telemetry;

/// <summary>
/// Puts the invocation id back into the logging scope under the key the worker's gRPC log writer looks for.
/// With <c>UseFunctionsWorkerDefaults()</c> the worker announces OpenTelemetry schema 1.37.0, whose invocation scope
/// names the id <c>faas.invocation_id</c>; the log writer still reads only <c>AzureFunctions_InvocationId</c>, so every
/// app log reached the host without an invocation id and the host dropped it ("IgnoringRpcLog"): no app log line
/// appeared under <c>func start</c> or in Azure's host logs. See docs/monitoring.md.
/// </summary>
internal sealed class InvocationLogScope(ILogger<InvocationLogScope> logger) : IFunctionsWorkerMiddleware
{
    // The worker's TraceConstants.InternalKeys.FunctionInvocationId, which is internal.
    internal const string InvocationIdKey = "AzureFunctions_InvocationId";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        using (logger.BeginScope(new[] { new KeyValuePair<string, object>(InvocationIdKey, context.InvocationId) }))
        {
            await next(context);
        }
    }
}
