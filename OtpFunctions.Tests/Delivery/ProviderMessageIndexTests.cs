using System.Net;
using System.Text;
using Azure.Data.Tables;
using OtpFunctions.Delivery;
using OtpFunctions.Sweeping;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

/// <summary>The provider-message index on real storage: rows in the hour of their send, found by reports, each hour filed once.</summary>
public sealed class ProviderMessageIndexTests : IAsyncLifetime
{
    private readonly StorageOperationLog log = new() { Hold = TimeSpan.Zero };
    private OtpHost host = null!;

    public async Task InitializeAsync() => host = await OtpHost.StartAsync(fakeClock: true, services: log.AddTo);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task AppliesReportGivenSendInOneHourAndReportInTheNext()
    {
        MoveToNextHour(-TimeSpan.FromSeconds(20));
        var id = await host.SendAsync(Destinations.Phone());
        await host.WaitForDeliveryAsync(id, "sent");
        var sentAt = host.Clock!.GetUtcNow();
        host.Clock.Advance(TimeSpan.FromSeconds(40));

        using var answer = await PostReportAsync(MessageIdOf(id));

        await Contract.AssertStatusAsync(answer, HttpStatusCode.OK);
        Assert.Equal("delivered", (await host.StatusAsync(id)).Delivery.Status);
        Assert.NotEqual(ProviderMessageBuckets.PartitionOf(sentAt), ProviderMessageBuckets.PartitionOf(host.Clock.GetUtcNow()));
        Assert.Single(await RowsInAsync(ProviderMessageBuckets.PartitionOf(sentAt)));
    }

    [Fact]
    public async Task FilesEachHourOnceGivenManyDeliveriesInIt()
    {
        MoveToNextHour(TimeSpan.FromMinutes(1));
        log.Arm();
        await SendAndDeliverAsync(3);
        host.Clock!.Advance(TimeSpan.FromHours(1));
        await SendAndDeliverAsync(2);
        var operations = log.Disarm();

        var filings = operations.Where(o => o.Text.Contains($"PartitionKey='{ExpiryIndex.PartitionPrefix}", StringComparison.Ordinal) && o.Text.Contains($"RowKey='{ProviderMessageBuckets.PartitionPrefix}", StringComparison.Ordinal)).ToList();
        var indexWrites = operations.Count(o => o.Text.Contains($"(PartitionKey='{ProviderMessageBuckets.PartitionPrefix}", StringComparison.Ordinal));
        Assert.Equal(5, indexWrites);
        Assert.Equal(2, filings.Count);
        Assert.Equal(2, filings.Select(o => o.Text).Distinct().Count());
    }

    /// <summary>Rows written by the previous version (a partition per message id) still answer their reports after an upgrade.</summary>
    [Fact]
    public async Task AppliesReportGivenRowInThePreviousVersionsPlace()
    {
        var id = await host.SendAsync(Destinations.Phone());
        await host.WaitForDeliveryAsync(id, "sent");
        var messageId = MessageIdOf(id);
        var row = Assert.Single(await RowsInAsync(ProviderMessageBuckets.PartitionOf(host.Clock!.GetUtcNow())));
        await host.Storage.Table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        var (partitionKey, rowKey) = ProviderMessageRow.Legacy(messageId);
        await host.Storage.Table.AddEntityAsync(new TableEntity(row) { PartitionKey = partitionKey, RowKey = rowKey });

        using var answer = await PostReportAsync(messageId);

        await Contract.AssertStatusAsync(answer, HttpStatusCode.OK);
        Assert.Equal("delivered", (await host.StatusAsync(id)).Delivery.Status);
    }

    private async Task SendAndDeliverAsync(int count)
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => host.SendAsync(Destinations.Phone())));
        foreach (var id in ids)
        {
            await host.WaitForDeliveryAsync(id, "sent");
        }

        await log.WaitUntilQuietAsync(TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Moves the fake clock to <paramref name="offset"/> from a full UTC hour over an hour ahead (never back).</summary>
    private void MoveToNextHour(TimeSpan offset)
    {
        var now = host.Clock!.GetUtcNow();
        var hour = new DateTimeOffset(now.UtcTicks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, TimeSpan.Zero).AddHours(2);
        host.Clock.Advance(hour + offset - now);
    }

    private string MessageIdOf(string id) => "msg-" + Assert.Single(host.Delivery.For(id)).OperationId.ToString("N");

    private async Task<List<TableEntity>> RowsInAsync(string partition)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in host.Storage.Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}")))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task<HttpResponseMessage> PostReportAsync(string messageId)
    {
        var json = $$$"""
            [{"id":"{{{Guid.NewGuid()}}}","topic":"/t","subject":"/phonenumber/x","eventType":"Microsoft.Communication.SMSDeliveryReportReceived",
              "eventTime":"2026-11-26T00:00:00Z","dataVersion":"1.0","metadataVersion":"1",
              "data":{"messageId":"{{{messageId}}}","deliveryStatus":"Delivered","deliveryStatusDetails":"No error."}}]
            """;
        using var request = new HttpRequestMessage(HttpMethod.Post, "events/delivery") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("aeg-event-type", "Notification");
        return await host.Client.SendAsync(request);
    }
}
