using System.Text.Json;
using OtpFunctions.LocalHost;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Http;

/// <summary>
/// The Worker SDK writes functions.metadata for the Functions host from the same attributes the local
/// host reads: both must describe the same functions, routes, queue and schedule.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string[] ExpectedHttp =
    [
        "SendCode POST otp",
        "ResendCode POST otp/{id}/resend",
        "VerifyCode POST otp/{id}/verify",
        "GetChallenge GET otp/{id}",
        "CancelChallenge DELETE otp/{id}",
        "GetSession GET session",
        "OpenIdConfiguration GET .well-known/openid-configuration",
        "RevokeSession DELETE session",
        "Health GET health",
        "EntraOtpSend POST entra/otp-send",
    ];

    [Fact]
    public void ListsExpectedFunctionsRoutesQueueAndSchedule()
    {
        var functions = ReadMetadata();

        var http = functions.Select(f => (Name: f.GetProperty("name").GetString()!, Trigger: Trigger(f)))
            .Where(f => f.Trigger.GetProperty("type").GetString() == "httpTrigger")
            .Select(f => $"{f.Name} {string.Join(',', f.Trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()))} {f.Trigger.GetProperty("route").GetString()}");
        Assert.Subset(http.ToHashSet(), ExpectedHttp.ToHashSet());

        var queue = Trigger(functions.Single(f => f.GetProperty("name").GetString() == "DeliverCode"));
        Assert.Equal("queueTrigger", queue.GetProperty("type").GetString());
        Assert.Equal("%OTP_DELIVERY_QUEUE%", queue.GetProperty("queueName").GetString());
        Assert.Equal("OtpStorage", queue.GetProperty("connection").GetString());

        // Webhooks have their own queue, so a slow app backend never holds up a code.
        var webhooks = Trigger(functions.Single(f => f.GetProperty("name").GetString() == "SendWebhook"));
        Assert.Equal("%OTP_WEBHOOK_QUEUE%", webhooks.GetProperty("queueName").GetString());
        Assert.Equal("OtpStorage", webhooks.GetProperty("connection").GetString());

        var timer = Trigger(functions.Single(f => f.GetProperty("name").GetString() == "SweepExpired"));
        Assert.Equal("timerTrigger", timer.GetProperty("type").GetString());
        Assert.Equal("%OTP_SWEEP_SCHEDULE%", timer.GetProperty("schedule").GetString());
    }

    [Fact]
    public void MatchesWhatTheLocalHostServes()
    {
        var metadata = ReadMetadata().ToDictionary(f => f.GetProperty("name").GetString()!, Trigger);
        var catalog = FunctionCatalog.Discover(typeof(OtpServiceCollectionExtensions).Assembly);

        Assert.Equal(metadata.Keys.Order(), catalog.Functions.Select(f => f.Name).Order());
        foreach (var (function, trigger) in catalog.Http)
        {
            Assert.Equal(metadata[function.Name].GetProperty("route").GetString(), trigger.Route);
            Assert.Equal(
                metadata[function.Name].GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order(),
                trigger.Methods!.Select(m => m.ToUpperInvariant()).Order());
        }
    }

    private static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    internal static List<JsonElement> ReadMetadata()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(RepoRoot.Path, "OtpFunctions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build OtpFunctions first.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
