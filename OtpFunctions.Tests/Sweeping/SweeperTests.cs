using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Sweeping;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sweeping;

public sealed class SweeperTests : IAsyncLifetime
{
    private OtpHost host = null!;

    public async Task InitializeAsync() => host = await OtpHost.StartAsync(fakeClock: true, listenToQueue: false);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task DeletesOnlyRowsPastTheirPurgeTime()
    {
        var expired = (await host.SendAsync(Destinations.Phone())).GetProperty("id").GetString()!;
        host.Clock!.Advance(TimeSpan.FromMinutes(80));
        var live = (await host.SendAsync(Destinations.Phone())).GetProperty("id").GetString()!;
        var before = await RowKeysAsync();

        var result = await host.Services.GetRequiredService<Sweeper>().SweepAsync(CancellationToken.None);

        var after = await RowKeysAsync();
        Assert.DoesNotContain(after, key => key.Contains(expired[22..], StringComparison.Ordinal));
        Assert.Contains(after, key => key.Contains(live[22..], StringComparison.Ordinal));
        Assert.True(result.Deleted >= 2, $"deleted {result.Deleted}");
        Assert.Equal(before.Count - result.Deleted, after.Count);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await host.Client.GetAsync($"otp/{expired}")).StatusCode);
    }

    [Fact]
    public async Task IsHarmlessWhenRunTwiceAtOnce()
    {
        await host.SendAsync(Destinations.Phone());
        host.Clock!.Advance(TimeSpan.FromHours(2));
        var sweeper = host.Services.GetRequiredService<Sweeper>();

        var results = await Task.WhenAll(sweeper.SweepAsync(CancellationToken.None), sweeper.SweepAsync(CancellationToken.None));

        Assert.Empty(await RowKeysAsync());
        Assert.All(results, r => Assert.True(r.Deleted <= r.Read));
    }

    private async Task<List<string>> RowKeysAsync()
    {
        var keys = new List<string>();
        await foreach (var row in host.Storage.Table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            keys.Add(row.PartitionKey + "/" + row.RowKey);
        }

        return keys;
    }
}
