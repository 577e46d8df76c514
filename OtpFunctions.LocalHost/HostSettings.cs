using System.Text.Json;
using System.Text.RegularExpressions;

namespace OtpFunctions.LocalHost;

/// <summary>The parts of <c>host.json</c> the local host honours, read from the same file the Functions host reads.</summary>
public sealed record HostSettings(string RoutePrefix, int QueueBatchSize, int MaxDequeueCount, TimeSpan VisibilityTimeout, TimeSpan MaxPollingInterval)
{
    public static readonly HostSettings Defaults = new("api", 16, 5, TimeSpan.Zero, TimeSpan.FromMinutes(1));

    /// <summary>
    /// <c>newBatchThreshold</c>: the next batch is fetched once no more than this many messages are still
    /// running. The Functions host's default is <c>batchSize / 2</c> (times the core count, which one local
    /// process does not multiply by).
    /// </summary>
    public int? NewBatchThreshold { get; init; }

    public int QueueNewBatchThreshold => NewBatchThreshold ?? QueueBatchSize / 2;

    public static HostSettings Load(string path)
    {
        if (!File.Exists(path))
        {
            return Defaults;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var extensions = document.RootElement.TryGetProperty("extensions", out var e) ? e : default;
        var http = extensions.ValueKind == JsonValueKind.Object && extensions.TryGetProperty("http", out var h) ? h : default;
        var queues = extensions.ValueKind == JsonValueKind.Object && extensions.TryGetProperty("queues", out var q) ? q : default;
        return new HostSettings(
            Read(http, "routePrefix", Defaults.RoutePrefix, x => x.GetString()!),
            Read(queues, "batchSize", Defaults.QueueBatchSize, x => x.GetInt32()),
            Read(queues, "maxDequeueCount", Defaults.MaxDequeueCount, x => x.GetInt32()),
            Read(queues, "visibilityTimeout", Defaults.VisibilityTimeout, x => TimeSpan.Parse(x.GetString()!, System.Globalization.CultureInfo.InvariantCulture)),
            Read(queues, "maxPollingInterval", Defaults.MaxPollingInterval, x => TimeSpan.Parse(x.GetString()!, System.Globalization.CultureInfo.InvariantCulture)))
        {
            NewBatchThreshold = Read<int?>(queues, "newBatchThreshold", null, x => x.GetInt32()),
        };
    }

    private static T Read<T>(JsonElement section, string name, T fallback, Func<JsonElement, T> read) =>
        section.ValueKind == JsonValueKind.Object && section.TryGetProperty(name, out var value) ? read(value) : fallback;
}

/// <summary>Resolves <c>%Name%</c> binding expressions from configuration, as the Functions host does.</summary>
public static partial class BindingExpressions
{
    public static string Resolve(string expression, IConfiguration configuration) =>
        Expression().Replace(expression, match => configuration[match.Groups[1].Value]
            ?? throw new InvalidOperationException($"'{match.Value}' does not resolve to a value: set {match.Groups[1].Value}."));

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Expression();
}

/// <summary>
/// Reads the <c>Values</c> of <c>local.settings.json</c>, as Core Tools does, at the lowest precedence so
/// real environment variables win. <c>__</c> in a key means <c>:</c>.
/// </summary>
public static class LocalSettings
{
    public static IReadOnlyDictionary<string, string?> Read(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return values;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        // Core Tools answers CORS from "Host": { "CORS": "origin,origin" }; so does the local host.
        if (document.RootElement.TryGetProperty("Host", out var host) && host.TryGetProperty("CORS", out var cors) && cors.ValueKind == JsonValueKind.String)
        {
            values["Host:CORS"] = cors.GetString();
        }

        if (document.RootElement.TryGetProperty("Values", out var settings))
        {
            foreach (var setting in settings.EnumerateObject())
            {
                values[setting.Name.Replace("__", ":", StringComparison.Ordinal)] = setting.Value.ValueKind == JsonValueKind.String ? setting.Value.GetString() : setting.Value.GetRawText();
            }
        }

        return values;
    }
}
