using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OtpFunctions.LoadTest;

/// <summary>
/// Counts every storage HTTP request (retries included: it runs per retry) under the HTTP route being
/// served, which a middleware puts in an <see cref="AsyncLocal{T}"/> that flows into the SDK calls.
/// Requests outside any route (queue polling, the delivery function, start-up) count as "background".
/// </summary>
public sealed class StorageRequestCounter : HttpPipelinePolicy
{
    public const string Background = "background";

    private static readonly AsyncLocal<string?> CurrentRoute = new();

    private readonly ConcurrentDictionary<(string Route, string Operation), long> counts = new();

    public static string? Route
    {
        get => CurrentRoute.Value;
        set => CurrentRoute.Value = value;
    }

    /// <summary>
    /// Names the storage requests each HTTP request makes after its route. The middleware runs after routing
    /// (WebApplication adds routing first), so the matched endpoint is known.
    /// </summary>
    public static void NameRequestsByRoute(WebApplication app) =>
        app.Use(async (context, next) =>
        {
            Route = context.GetEndpoint() is RouteEndpoint endpoint
                ? $"{context.Request.Method} /{endpoint.RoutePattern.RawText?.TrimStart('/')}"
                : "unmatched";
            await next(context);
        });

    public IReadOnlyDictionary<(string Route, string Operation), long> Snapshot() => new Dictionary<(string, string), long>(counts);

    public void Reset() => counts.Clear();

    public long Total(string route) => counts.Where(pair => pair.Key.Route == route).Sum(pair => pair.Value);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    /// <summary>Names a storage request by what it does, e.g. "table point read" or "queue put".</summary>
    public static string Describe(string method, Uri uri)
    {
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        // The open loop's own Azurite listens on free ports, not 10001: its queue requests are told by their path.
        var isQueue = uri.Port == 10001 || uri.Host.Contains(".queue.", StringComparison.Ordinal) || path.EndsWith("/messages", StringComparison.Ordinal) || path.Contains("/messages/", StringComparison.Ordinal);
        if (isQueue)
        {
            return (method, path.EndsWith("/messages", StringComparison.Ordinal)) switch
            {
                ("POST", _) => "queue put",
                ("GET", true) => "queue receive",
                ("DELETE", false) => "queue delete message",
                ("PUT", false) when uri.Query.Contains("popreceipt", StringComparison.OrdinalIgnoreCase) => "queue update message",
                _ => $"queue {method}",
            };
        }

        var entity = path.Contains("(PartitionKey=", StringComparison.Ordinal);
        return (method, entity) switch
        {
            ("POST", _) when path.EndsWith("$batch", StringComparison.Ordinal) => "table transaction",
            ("GET", true) => "table point read",
            ("GET", false) => "table query",
            ("POST", false) => "table insert",
            ("PUT", true) => "table replace/upsert",
            ("PATCH" or "MERGE", true) => "table merge",
            ("DELETE", true) => "table delete",
            _ => $"table {method}",
        };
    }

    private void Count(HttpMessage message) =>
        counts.AddOrUpdate((Route ?? Background, Describe(message.Request.Method.Method, message.Request.Uri.ToUri())), 1, static (_, count) => count + 1);
}
