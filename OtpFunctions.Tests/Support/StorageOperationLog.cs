using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// Every storage request the app makes through its own clients while armed (OtpStorage adds DI's
/// <see cref="HttpPipelinePolicy"/>s to its table and queue clients, per try, so a retry counts too), with what it
/// is, when it ran and what caused it: an HTTP request of the host (a middleware names it) or the background (the
/// queue-triggered delivery, hosted services). Each request is held for <see cref="Hold"/> before it goes, so requests
/// made in parallel overlap for sure and the ones made in sequence can be read from the times.
/// The Functions host's own queue clients (the trigger's receive and delete) are not the app's and are not seen.
/// </summary>
public sealed class StorageOperationLog : HttpPipelinePolicy
{
    public const string Background = "background";

    private static readonly AsyncLocal<string?> Cause = new();
    private readonly ConcurrentQueue<StorageOperation> operations = new();
    private volatile bool armed;
    private long lastActivity = DateTimeOffset.UtcNow.UtcTicks;
    private int inFlight;

    public TimeSpan Hold { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Adds the log to the app's storage clients and the middleware that names each HTTP request.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<HttpPipelinePolicy>(this);
        services.AddSingleton<IStartupFilter>(new NameEachRequest());
    }

    public void Arm()
    {
        operations.Clear();
        armed = true;
    }

    /// <summary>Stops recording and returns what was recorded, in order of start.</summary>
    public IReadOnlyList<StorageOperation> Disarm()
    {
        armed = false;
        return [.. operations.OrderBy(operation => operation.Start)];
    }

    /// <summary>
    /// Waits until no storage request is in flight and none has started or ended for <paramref name="quiet"/>, armed
    /// or not. In flight counts: on a loaded machine one request alone (a delivery's last write) took longer than
    /// <paramref name="quiet"/>, looked quiet, and was then counted in the next step's cost.
    /// </summary>
    public Task WaitUntilQuietAsync(TimeSpan quiet) =>
        Eventually.TrueAsync(
            () => Task.FromResult(Volatile.Read(ref inFlight) == 0 && DateTimeOffset.UtcNow.UtcTicks - Interlocked.Read(ref lastActivity) > quiet.Ticks),
            "storage requests kept coming",
            TimeSpan.FromSeconds(30));

    /// <summary>The longest chain of operations each of which started after the one before had ended.</summary>
    public static int SequentialDepth(IReadOnlyList<StorageOperation> chosen)
    {
        var ordered = chosen.OrderBy(operation => operation.Start).ToList();
        var depth = new int[ordered.Count];
        for (var i = 0; i < ordered.Count; i++)
        {
            depth[i] = 1 + Enumerable.Range(0, i).Where(j => ordered[j].End <= ordered[i].Start).Select(j => depth[j]).DefaultIfEmpty(0).Max();
        }

        return depth.DefaultIfEmpty(0).Max();
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            await ProcessArmedOrNotAsync(message, pipeline);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var start = DateTimeOffset.UtcNow;
        Interlocked.Increment(ref inFlight);
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            if (armed)
            {
                Record(message, start);
            }

            Interlocked.Decrement(ref inFlight);
        }
    }

    private async ValueTask ProcessArmedOrNotAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (!armed)
        {
            Touch();
            await ProcessNextAsync(message, pipeline);
            Touch();
            return;
        }

        var start = DateTimeOffset.UtcNow;
        Touch();
        await Task.Delay(Hold);
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            Record(message, start);
        }
    }

    /// <summary>
    /// What a request is: "table point read", "table transaction of 3", "queue put"... A PUT is a replace when it
    /// names an ETag (If-Match), an upsert otherwise.
    /// </summary>
    public static string KindOf(Request request)
    {
        var uri = request.Uri.ToUri();
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        var method = request.Method.Method;
        if (path.EndsWith("/messages", StringComparison.Ordinal) || path.Contains("/messages/", StringComparison.Ordinal) || uri.Port == 10001)
        {
            return (method, path.EndsWith("/messages", StringComparison.Ordinal)) switch
            {
                ("POST", true) => "queue put",
                ("GET", true) => "queue receive",
                ("DELETE", false) => "queue delete",
                ("PUT", false) => "queue update",
                _ => $"queue {method}",
            };
        }

        var entity = path.Contains("(PartitionKey=", StringComparison.Ordinal);
        return (method, entity) switch
        {
            ("POST", _) when path.EndsWith("$batch", StringComparison.Ordinal) => $"table transaction of {EntitiesInBatch(request)}",
            ("GET", true) => "table point read",
            ("GET", false) => "table query",
            ("POST", false) => "table insert",
            ("PUT", true) => request.Headers.TryGetValue("If-Match", out var etag) && etag != "*" ? "table replace" : "table upsert",
            ("PATCH" or "MERGE", true) => request.Headers.TryGetValue("If-Match", out var etag) && etag != "*" ? "table merge" : "table merge-upsert",
            ("DELETE", true) => "table delete",
            _ => $"table {method}",
        };
    }

    // Each entity of an entity-group transaction is one application/http part of the changeset.
    private static int EntitiesInBatch(Request request)
    {
        if (request.Content is null)
        {
            return 0;
        }

        using var body = new MemoryStream();
        request.Content.WriteTo(body, CancellationToken.None);
        var text = System.Text.Encoding.UTF8.GetString(body.ToArray());
        return text.Split("Content-Type: application/http", StringSplitOptions.None).Length - 1;
    }

    private void Record(HttpMessage message, DateTimeOffset start)
    {
        var text = $"{message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.ToUri().PathAndQuery)}";
        operations.Enqueue(new StorageOperation(Cause.Value ?? Background, KindOf(message.Request), text, start, DateTimeOffset.UtcNow));
        Touch();
    }

    private void Touch() => Interlocked.Exchange(ref lastActivity, DateTimeOffset.UtcNow.UtcTicks);

    /// <summary>Names the storage requests each HTTP request makes after it, first thing in the pipeline.</summary>
    private sealed class NameEachRequest : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                Cause.Value = $"{context.Request.Method} {context.Request.Path}";
                await nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>One storage request: what caused it, what it is, its method and URI, when it started (before the hold) and ended.</summary>
public sealed record StorageOperation(string Cause, string Kind, string Text, DateTimeOffset Start, DateTimeOffset End)
{
    public bool IsQueue => Kind.StartsWith("queue", StringComparison.Ordinal);

    public override string ToString() => $"{Cause}: {Kind}: {Text[..Math.Min(Text.Length, 140)]} @{Start:HH:mm:ss.fff}-{End:HH:mm:ss.fff}";
}
