using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Fraud;
using OtpFunctions.Tests.Support;
using Xunit.Abstractions;

namespace OtpFunctions.Tests.Performance;

/// <summary>
/// What each step of a verification costs in storage, pinned: a change that adds a table or queue operation, or a
/// round trip in sequence, to a send, resend, verify or delivery fails here, and one that removes some says so too
/// (update the table below and docs/performance.md together). Counted by <see cref="StorageOperationLog"/> in the
/// app's own storage clients against real Azurite, for a new user (fresh destination, fresh client address) with the
/// default configuration and the ACS providers (a fake ACS on loopback), as the load test runs it.
/// </summary>
public sealed partial class StorageOperationsTests(ITestOutputHelper output) : IAsyncLifetime
{
    // One line per step: table operations, queue operations (the app's own; the trigger's receive and delete are the
    // Functions host's), and round trips in sequence. The SMS flow pays the fraud guard's prefix row, email does not.
    private static readonly string[] Pinned =
    [
        "send (SMS): 8 table (1 table insert, 2 table point read, 1 table query, 1 table replace, 1 table transaction of 3, 2 table upsert); 1 queue (1 queue put); 3 in sequence",
        "delivery (SMS): 3 table (1 table query, 1 table replace, 1 table upsert); 0 queue (); 3 in sequence",
        "resend (SMS): 7 table (1 table insert, 1 table point read, 2 table query, 1 table replace, 1 table transaction of 3, 1 table upsert); 1 queue (1 queue put); 4 in sequence",
        "delivery of a resend (SMS): 3 table (1 table query, 1 table replace, 1 table upsert); 0 queue (); 3 in sequence",
        "verify (SMS): 2 table (1 table query, 1 table transaction of 2); 0 queue (); 2 in sequence",
        "after the verify's answer (SMS): 2 table (1 table point read, 1 table replace); 0 queue (); 2 in sequence",
        "send (email): 6 table (1 table insert, 2 table point read, 1 table transaction of 3, 2 table upsert); 1 queue (1 queue put); 3 in sequence",
        "delivery (email): 3 table (1 table query, 1 table replace, 1 table upsert); 0 queue (); 3 in sequence",
        "verify (email): 2 table (1 table query, 1 table transaction of 2); 0 queue (); 2 in sequence",
        "after the verify's answer (email): 0 table (); 0 queue (); 0 in sequence",
    ];

    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);
    private readonly FakeAcsServer acs = new();
    private readonly StorageOperationLog log = new();
    private OtpHost host = null!;

    public async Task InitializeAsync()
    {
        await acs.StartAsync();
        host = await OtpHost.StartAsync(
            new Dictionary<string, string?>(acs.SmsAndEmailSettings()) { ["Otp:ResendCooldown"] = "00:00:00" },
            fakeClock: true,
            captureDelivery: false,
            services: log.AddTo);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await acs.DisposeAsync();
    }

    [Fact]
    public async Task CostsThePinnedStorageOperationsPerSendResendVerifyAndDelivery()
    {
        // A first flow warms the process up (a cold start compiles as it goes, which would read as a round trip).
        await FlowAsync(Destinations.Phone(), "sms", resend: false);
        await WarmPrefixAsync(Destinations.Phone());

        var lines = new List<string>();
        lines.AddRange(await FlowAsync(Destinations.Phone(), "sms", resend: true));
        lines.AddRange(await FlowAsync(Destinations.Email(), "email", resend: false));

        output.WriteLine(string.Join(Environment.NewLine, lines));
        Assert.Equal(Pinned, lines);
    }

    /// <summary>
    /// A busy prefix, as a real one is: every fraud-guard counter shard of it exists, so a new user's count replaces
    /// one rather than creating it (a shard is picked at random, which would otherwise make the count vary). The
    /// clock stands still, so no counter ring turns and no budget window ends while the flows are measured.
    /// </summary>
    private async Task WarmPrefixAsync(string phone)
    {
        var prefix = host.Services.GetRequiredService<FraudGuard>().Watched(phone) ?? throw new InvalidOperationException($"{phone} is not watched");
        for (var i = 0; i < 300 && await ShardsOfAsync(prefix) < PrefixStore.Shards; i++)
        {
            var (response, _) = await SendAsync(Destinations.Phone(), "sms");
            response.Dispose();
        }

        Assert.Equal(PrefixStore.Shards, await ShardsOfAsync(prefix));
        await log.WaitUntilQuietAsync(Quiet);
    }

    private async Task<int> ShardsOfAsync(string prefix)
    {
        var shards = 0;
        await foreach (var row in host.Storage.Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PrefixStore.PartitionOf(prefix)}")))
        {
            shards += row.RowKey.StartsWith('s') ? 1 : 0;
        }

        return shards;
    }

    private async Task<List<string>> FlowAsync(string to, string channel, bool resend)
    {
        var name = channel == "sms" ? "SMS" : "email";
        var lines = new List<string>();
        var (id, sent) = await MeasureAsync(() => SendAsync(to, channel), HttpStatusCode.Accepted, to, deliveries: 1);
        lines.Add(Line($"send ({name})", sent.Request));
        lines.Add(Line($"delivery ({name})", sent.Background));
        if (resend)
        {
            var (_, resent) = await MeasureAsync(() => ResendAsync(id), HttpStatusCode.Accepted, to, deliveries: 2);
            lines.Add(Line($"resend ({name})", resent.Request));
            lines.Add(Line($"delivery of a resend ({name})", resent.Background));
        }

        var code = LatestCode(to);
        var (_, verified) = await MeasureAsync(async () => (await host.VerifyAsync(id, code), id), HttpStatusCode.OK, to, deliveries: resend ? 2 : 1);
        lines.Add(Line($"verify ({name})", verified.Request));
        lines.Add(Line($"after the verify's answer ({name})", verified.Background));
        return lines;
    }

    /// <summary>Runs one call, waits for the deliveries it causes and for storage to go quiet, and splits what it cost.</summary>
    private async Task<(string Id, (List<StorageOperation> Request, List<StorageOperation> Background) Cost)> MeasureAsync(
        Func<Task<(HttpResponseMessage Response, string Id)>> call, HttpStatusCode expected, string to, int deliveries)
    {
        log.Arm();
        var (response, id) = await call();
        using (response)
        {
            Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await Eventually.TrueAsync(() => MessagesTo(to).Count() >= deliveries, $"{deliveries} message(s) to {to} never reached the provider");
        await log.WaitUntilQuietAsync(Quiet);
        var operations = log.Disarm();
        foreach (var operation in operations)
        {
            output.WriteLine($"  {operation}");
        }

        return (id, ([.. operations.Where(o => o.Cause != StorageOperationLog.Background)], [.. operations.Where(o => o.Cause == StorageOperationLog.Background)]));
    }

    private async Task<(HttpResponseMessage, string)> SendAsync(string to, string channel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "otp") { Content = JsonContent.Create(new { channel, to }) };
        request.Headers.Add("X-Forwarded-For", NewClientAddress());
        var response = await host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response, response.StatusCode == HttpStatusCode.Accepted ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()! : "");
    }

    // The resend too comes from an address of its own: the client budget's shard is then a new row, as for a send.
    // From the send's own address it may land on an existing shard row instead (a replace for an insert: same count).
    private async Task<(HttpResponseMessage, string)> ResendAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"otp/{id}/resend");
        request.Headers.Add("X-Forwarded-For", NewClientAddress());
        return (await host.Client.SendAsync(request), id);
    }

    // A client address of its own, as a new user has (loopback is a trusted proxy): its budget row is new.
    private static string NewClientAddress() => $"2001:db8:{Random.Shared.Next(0x10000):x}:{Random.Shared.Next(0x10000):x}::1";

    private static string Line(string step, List<StorageOperation> operations)
    {
        static string Kinds(IEnumerable<StorageOperation> chosen) =>
            string.Join(", ", chosen.GroupBy(o => o.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
        var table = operations.Where(o => !o.IsQueue).ToList();
        var queue = operations.Where(o => o.IsQueue).ToList();
        return $"{step}: {table.Count} table ({Kinds(table)}); {queue.Count} queue ({Kinds(queue)}); {StorageOperationLog.SequentialDepth(operations)} in sequence";
    }

    private IEnumerable<(string Text, FakeAcsRequest Request)> MessagesTo(string to) =>
        acs.Requests.Where(request => request.AnsweredStatus == 202 && request.Method == "POST").Select(request => (Text: TextTo(request, to), request)).Where(pair => pair.Text is not null)!;

    private string LatestCode(string to) => Code().Match(MessagesTo(to).Last().Text).Value;

    private static string? TextTo(FakeAcsRequest request, string to)
    {
        var json = request.Json();
        if (json.TryGetProperty("smsRecipients", out var recipients))
        {
            return recipients[0].GetProperty("to").GetString() == to ? json.GetProperty("message").GetString() : null;
        }

        return json.TryGetProperty("recipients", out var email) && email.GetProperty("to")[0].GetProperty("address").GetString() == to
            ? json.GetProperty("content").GetProperty("plainText").GetString()
            : null;
    }

    [GeneratedRegex(@"\b\d{4,10}\b")]
    private static partial Regex Code();
}
