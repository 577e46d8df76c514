using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// Records the storage requests made while armed, each held for <see cref="Hold"/> so that requests made in parallel
/// overlap for sure, and tells how many of them followed one another: the round trips a request waits for in sequence.
/// </summary>
public sealed class StorageRoundTrips : HttpPipelinePolicy
{
    private static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(150);
    private readonly ConcurrentQueue<StorageCall> calls = new();
    private volatile Func<string, bool>? armed;

    public IReadOnlyCollection<StorageCall> Calls => calls;

    /// <summary>
    /// Records the requests <paramref name="counts"/> picks from now on, by their text (method, unescaped URI, body): the
    /// queue listener's polls, for one, are not the request's.
    /// </summary>
    public void Arm(Func<string, bool> counts)
    {
        calls.Clear();
        armed = counts;
    }

    public void Disarm() => armed = null;

    /// <summary>The longest chain of recorded requests each of which started after the one before had ended.</summary>
    public int SequentialDepth()
    {
        var ordered = calls.OrderBy(call => call.Start).ToList();
        var depth = new int[ordered.Count];
        for (var i = 0; i < ordered.Count; i++)
        {
            depth[i] = 1 + Enumerable.Range(0, i).Where(j => ordered[j].End <= ordered[i].Start).Select(j => depth[j]).DefaultIfEmpty(0).Max();
        }

        return depth.DefaultIfEmpty(0).Max();
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var text = armed is null ? "" : await TextOfAsync(message.Request);
        if (armed is not { } counts || !counts(text))
        {
            await ProcessNextAsync(message, pipeline);
            return;
        }

        var start = DateTimeOffset.UtcNow;
        await Task.Delay(Hold);
        await ProcessNextAsync(message, pipeline);
        calls.Enqueue(new StorageCall(text, start, DateTimeOffset.UtcNow));
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ProcessNext(message, pipeline);

    private static async Task<string> TextOfAsync(Request request)
    {
        var text = $"{request.Method} {Uri.UnescapeDataString(request.Uri.ToUri().PathAndQuery)}";
        if (request.Content is null)
        {
            return text;
        }

        using var body = new MemoryStream();
        await request.Content.WriteToAsync(body, CancellationToken.None);
        // JSON bodies escape '+' (\u002B): unescaped, a partition key reads the same in a body as in a URI.
        return text + " " + System.Text.Encoding.UTF8.GetString(body.ToArray()).Replace("\\u002B", "+", StringComparison.Ordinal);
    }

    public sealed record StorageCall(string Text, DateTimeOffset Start, DateTimeOffset End)
    {
        public override string ToString() => $"{Text[..Math.Min(Text.Length, 160)]} @{Start:HH:mm:ss.fff}-{End:HH:mm:ss.fff}";
    }
}
