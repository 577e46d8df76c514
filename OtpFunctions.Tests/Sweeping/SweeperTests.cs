using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Delivery;
using OtpFunctions.Sweeping;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sweeping;

/// <summary>The sweep on real storage, with the queue function filing the expiry index as it does in production.</summary>
public sealed class SweeperTests : IAsyncLifetime
{
    private readonly HoldWritesOfOneSweep gate = new();
    private OtpHost host = null!;

    public async Task InitializeAsync() => host = await OtpHost.StartAsync(
        new Dictionary<string, string?> { ["Otp:FailureWindow"] = "01:00:00" },
        fakeClock: true,
        services: services => services.AddSingleton<HttpPipelinePolicy>(gate));

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Sweeper Sweeper => host.Services.GetRequiredService<Sweeper>();

    [Fact]
    public async Task DeletesOnlyRowsPastTheirPurgeTime()
    {
        var expired = await host.SendAsync(Destinations.Phone(), clientIp: Destinations.Ip());
        await host.WaitForQueueDrainedAsync();
        host.Clock!.Advance(TimeSpan.FromMinutes(75));
        var live = await host.SendAsync(Destinations.Phone());
        await host.WaitForQueueDrainedAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(10));

        var result = await Sweeper.SweepAsync(CancellationToken.None);

        var after = await RowKeysAsync();
        Assert.DoesNotContain(after, key => key.StartsWith(expired[..22], StringComparison.Ordinal));
        Assert.Contains(after, key => key.Contains(live[22..], StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await host.Client.GetAsync($"otp/{expired}")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Client.GetAsync($"otp/{live}")).StatusCode);
        Assert.True(result.Deleted >= 3, $"deleted {result.Deleted}");
        Assert.Equal(result.Deleted, result.RowsRead);
    }

    [Fact]
    public async Task ReadsOnlyWhatExpiredGivenManyLiveRows()
    {
        var expired = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            expired.Add(await host.SendAsync(Destinations.Phone()));
        }

        await host.WaitForQueueDrainedAsync();

        // Past the hour of provider-message rows the three deliveries wrote into: it is swept when its last row can
        // have expired, at most 2 h 10 min after them.
        host.Clock!.Advance(TimeSpan.FromHours(3));
        var live = new List<string>();
        for (var batch = 0; batch < 10; batch++)
        {
            var sent = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => host.SendAsync(Destinations.Email(), channel: "email")));
            live.AddRange(sent);
        }

        await host.WaitForQueueDrainedAsync();
        var rowsBefore = await RowKeysAsync();

        var result = await Sweeper.SweepAsync(CancellationToken.None);

        // Due: each expired destination (limit, challenge, delivery rows), its provider-message row, and
        // what is left of the first IP window. Not one of the 200 live destinations' 800 rows is read.
        var rowsAfter = await RowKeysAsync();
        Assert.InRange(result.RowsRead, (3 * 3) + 3, (3 * 3) + 3 + 3);
        Assert.Equal(result.RowsRead, result.Deleted);
        Assert.Equal(rowsBefore.Count - result.RowsRead - result.IndexRowsRead, rowsAfter.Count);
        Assert.All(expired, id => Assert.DoesNotContain(rowsAfter, key => key.StartsWith(id[..22], StringComparison.Ordinal)));
        Assert.All(live, id => Assert.Contains(id[..22] + "/c-" + id[22..], rowsAfter));
    }

    /// <summary>
    /// Provider-message rows share a partition per hour of their send, filed once for when its last row can have
    /// expired: that visit deletes the hour's rows in one read and batched deletes, and leaves the next hour alone.
    /// </summary>
    [Fact]
    public async Task DeletesAnHoursProviderMessageRowsOnceTheyHaveExpired()
    {
        var now = host.Clock!.GetUtcNow();
        var hour = new DateTimeOffset(now.UtcTicks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, TimeSpan.Zero).AddHours(1);
        host.Clock.Advance(hour + TimeSpan.FromMinutes(1) - now);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => host.SendAsync(Destinations.Phone())));
        await host.WaitForQueueDrainedAsync();
        host.Clock.Advance(TimeSpan.FromHours(1));
        await host.SendAsync(Destinations.Phone());
        await host.WaitForQueueDrainedAsync();
        var (first, second) = (ProviderMessageBuckets.PartitionOf(hour), ProviderMessageBuckets.PartitionOf(hour.AddHours(1)));
        Assert.Equal(3, (await RowKeysAsync()).Count(key => key.StartsWith(first + "/", StringComparison.Ordinal)));

        // The first hour's visit: its end, plus the code's 10 minutes and the row's hour after them.
        host.Clock.Advance(hour.AddMinutes(130) - host.Clock.GetUtcNow());
        await Sweeper.SweepAsync(CancellationToken.None);

        var after = await RowKeysAsync();
        Assert.DoesNotContain(after, key => key.StartsWith(first + "/", StringComparison.Ordinal) || key.EndsWith("/" + first, StringComparison.Ordinal));
        Assert.Single(after, key => key.StartsWith(second + "/", StringComparison.Ordinal));
        Assert.Single(after, key => key.StartsWith(ExpiryIndex.PartitionPrefix, StringComparison.Ordinal) && key.EndsWith("/" + second, StringComparison.Ordinal));
    }

    /// <summary>
    /// Two sweeps at once, in the worst order, made to happen every time rather than by luck: the first has read
    /// the due rows and is about to delete them when the second sweeps everything. Left to the scheduler, the two
    /// mostly ran in lockstep and which order a run got depended on load; that is why the test failed now and then.
    /// </summary>
    [Fact]
    public async Task IsHarmlessWhenRunTwiceAtOnce()
    {
        await host.SendAsync(Destinations.Phone());
        await host.WaitForQueueDrainedAsync();
        host.Clock!.Advance(TimeSpan.FromHours(3));

        var first = SweepHeldAsync();
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var second = await Sweeper.SweepAsync(CancellationToken.None);
        gate.Release.SetResult();
        var late = await first;

        Assert.Empty(await RowKeysAsync());
        Assert.True(second.Deleted >= 3, $"the second sweep deleted {second.Deleted}");
        Assert.Equal(second.RowsRead, second.Deleted);
        // The first read rows that were gone by the time it deleted them, and neither threw nor resurrected anything.
        Assert.True(late.RowsRead > 0, "the first sweep read nothing: the interleaving under test did not happen");
        Assert.True(late.Deleted <= late.RowsRead, $"the first sweep deleted {late.Deleted} of {late.RowsRead} rows read");

        async Task<SweepResult> SweepHeldAsync()
        {
            // Flows into this sweep's storage calls only; the second sweep runs outside it.
            HoldWritesOfOneSweep.Applies.Value = true;
            return await Sweeper.SweepAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task KeepsRowRenewedAfterItWasIndexed()
    {
        var to = Destinations.Phone();
        var first = await host.SendAsync(to);
        await host.WaitForQueueDrainedAsync();
        host.Clock!.Advance(TimeSpan.FromMinutes(75));
        var second = await host.SendAsync(to);
        await host.WaitForQueueDrainedAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(10));

        await Sweeper.SweepAsync(CancellationToken.None);

        var after = await RowKeysAsync();
        Assert.DoesNotContain(after, key => key.Contains(first[22..], StringComparison.Ordinal));
        Assert.Contains(after, key => key.Contains(second[22..], StringComparison.Ordinal));
        Assert.Contains(after, key => key == second[..22] + "/limit");
    }

    /// <summary>
    /// Nothing on the request path files the session a verify creates: the sweeper, visiting the destination for its
    /// expired code, finds the live session, files the partition again, and removes the session once it expires.
    /// With the chain broken (no refiling), the session and the limit row would stay forever.
    /// </summary>
    [Fact]
    public async Task KeepsALivePartitionFiledUntilItsLastRowIsGone()
    {
        await using var longSessions = await OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:SessionLifetime"] = "03:00:00" }, fakeClock: true);
        var sweeper = longSessions.Services.GetRequiredService<Sweeper>();
        var id = await longSessions.SendAsync(Destinations.Phone(), clientIp: Destinations.Ip());
        var token = (await longSessions.ApproveAsync(id, await longSessions.Delivery.WaitForCodeAsync(id))).Session.Token;
        await longSessions.WaitForQueueDrainedAsync();

        // Past the code's retention (10 min + 1 h), inside the session's three hours: the code goes, the session stays.
        longSessions.Clock!.Advance(TimeSpan.FromMinutes(80));
        var first = await sweeper.SweepAsync(CancellationToken.None);
        Assert.True(first.Refiled >= 1, $"the sweep filed {first.Refiled} partitions again");
        Assert.DoesNotContain(await RowKeysAsync(longSessions), key => key.Contains(id[22..], StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await longSessions.SessionAsync(token)).StatusCode);

        // Past the session's end and the limit row's failure window: each sweep finds what the last one filed again.
        for (var visit = 0; visit < 30 && (await RowKeysAsync(longSessions)).Count > 0; visit++)
        {
            longSessions.Clock.Advance(TimeSpan.FromHours(1));
            await sweeper.SweepAsync(CancellationToken.None);
        }

        Assert.Empty(await RowKeysAsync(longSessions));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await longSessions.SessionAsync(token)).StatusCode);
    }

    private Task<List<string>> RowKeysAsync() => RowKeysAsync(host);

    private static async Task<List<string>> RowKeysAsync(OtpHost host)
    {
        var keys = new List<string>();
        await foreach (var row in host.Storage.Table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            keys.Add(row.PartitionKey + "/" + row.RowKey);
        }

        return keys;
    }
}

/// <summary>Holds the first write (anything but a read) of the sweep it applies to until the test releases it.</summary>
internal sealed class HoldWritesOfOneSweep : HttpPipelinePolicy
{
    public static readonly AsyncLocal<bool> Applies = new();

    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Applies.Value && message.Request.Method != RequestMethod.Get)
        {
            Reached.TrySetResult();
            await Release.Task;
        }

        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ProcessNext(message, pipeline);
}
