using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// Fails the storage requests a test picks (added with <c>services.AddSingleton&lt;HttpPipelinePolicy&gt;(faults)</c>),
/// as an unreachable partition would: a part of storage down while the rest answers.
/// </summary>
public sealed class StorageFaults : HttpPipelinePolicy
{
    /// <summary>Which requests fail; none while null.</summary>
    public Func<Request, bool>? Fail { get; set; }

    public int Failed { get; private set; }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message.Request);
        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message.Request);
        ProcessNext(message, pipeline);
    }

    /// <summary>True for a table request that names a partition other than <paramref name="partitionKey"/> (a batch names none in its URL).</summary>
    public static bool OutsidePartition(Request request, string table, string partitionKey)
    {
        var uri = Uri.UnescapeDataString(request.Uri.ToUri().ToString());
        return uri.Contains("/" + table, StringComparison.Ordinal)
            && !uri.Contains("$batch", StringComparison.Ordinal)
            && !uri.Contains($"'{partitionKey}'", StringComparison.Ordinal);
    }

    private void Check(Request request)
    {
        if (Fail?.Invoke(request) == true)
        {
            Failed++;
            throw new RequestFailedException(503, "Injected: this partition is unavailable.");
        }
    }
}
