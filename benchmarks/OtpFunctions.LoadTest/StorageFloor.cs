using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.LoadTest;

/// <summary>
/// The storage floor: the raw Table and Queue operations a send and a verify must make, issued straight
/// with the SDK against the same Azurite, with rows of the same size, and no service in between.
/// </summary>
public sealed class StorageFloor
{
    public const string SendRoute = "floor send";
    public const string SendAsBuiltRoute = "floor send as built";
    public const string VerifyRoute = "floor verify";

    private static readonly string Sealed = Convert.ToBase64String(RandomNumberGenerator.GetBytes(96));
    private static readonly string CodeHash = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Message = Convert.ToBase64String(RandomNumberGenerator.GetBytes(240));

    private readonly TableClient table;
    private readonly QueueClientOptions queueOptions;
    private readonly List<QueueClient> queues = [];
    private QueueClient queue;
    private readonly ConcurrentQueue<(string PartitionKey, string RowKey)> challenges = new();

    private StorageFloor(TableClient table, QueueClientOptions queueOptions)
    {
        this.table = table;
        this.queueOptions = queueOptions;
        queue = NewQueue();
    }

    public static async Task<StorageFloor> CreateAsync(StorageRequestCounter counter)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var tableOptions = Configure(new TableClientOptions(), counter);
        var queueOptions = Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, counter);
        var floor = new StorageFloor(new TableClient(Azurite.ConnectionString, "floor" + suffix, tableOptions), queueOptions);
        await floor.table.CreateIfNotExistsAsync();
        await floor.queue.CreateIfNotExistsAsync();
        return floor;
    }

    /// <summary>
    /// What design.md asks of a send: one point read of the destination's limit row, one transaction
    /// (limit row + challenge row), one queue put. <paramref name="withIpLimit"/> adds the client-IP
    /// budget's shard query and shard insert that the service makes today.
    /// </summary>
    public async Task<bool> SendAsync(LatencyStats stats, bool withIpLimit)
    {
        StorageRequestCounter.Route = withIpLimit ? SendAsBuiltRoute : SendRoute;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var now = DateTimeOffset.UtcNow;
            if (withIpLimit)
            {
                // As the service's client-IP budget: a query of the address's shard partition, then one shard written.
                var ipKey = "ip-" + NewKey();
                await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ipKey}")))
                {
                }

                await table.AddEntityAsync(new TableEntity(ipKey, "s0") { ["Window"] = now.UtcTicks / TimeSpan.TicksPerHour, ["Count"] = 1, ["PurgeAt"] = now.AddHours(1) });
            }

            var partitionKey = NewKey();
            var rowKey = "c-" + NewKey();
            await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, "limit");
            TableTransactionAction[] actions =
            [
                new(TableTransactionActionType.Add, new TableEntity(partitionKey, "limit")
                {
                    ["WindowStart"] = now, ["WindowCount"] = 1, ["PurgeAt"] = now.AddMinutes(10), ["Pending_login"] = $"{partitionKey}.{rowKey}|{now.AddMinutes(10).UtcTicks}",
                }),
                new(TableTransactionActionType.Add, ChallengeRow(partitionKey, rowKey, now)),
                new(TableTransactionActionType.UpsertReplace, new TableEntity(partitionKey, "d-" + rowKey[2..])
                {
                    ["CodeVersion"] = 1, ["Status"] = "queued", ["UpdatedAt"] = now, ["Attempts"] = 0, ["PurgeAt"] = now.AddMinutes(70),
                }),
            ];
            await table.SubmitTransactionAsync(actions);
            await queue.SendMessageAsync(Message, visibilityTimeout: null, timeToLive: TimeSpan.FromMinutes(10));
            challenges.Enqueue((partitionKey, rowKey));
            stats.Record(started, null);
        }
        catch (RequestFailedException exception)
        {
            stats.Record(started, exception.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (AggregateException exception)
        {
            stats.Record(started, exception.InnerExceptions[0].GetType().Name);
        }

        return true;
    }

    /// <summary>One partition query (challenge and limit row), one transaction: the challenge consumed (ETag) and its session added.</summary>
    public async Task<bool> VerifyAsync(LatencyStats stats)
    {
        if (!challenges.TryDequeue(out var challenge))
        {
            return false;
        }

        StorageRequestCounter.Route = VerifyRoute;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var now = DateTimeOffset.UtcNow;
            // As the service: the challenge and its destination's limit row in one partition query.
            TableEntity? row = null;
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {challenge.PartitionKey} and (RowKey eq {challenge.RowKey} or RowKey eq {"limit"})");
            await foreach (var found in table.QueryAsync<TableEntity>(filter, maxPerPage: 2))
            {
                row = found.RowKey == challenge.RowKey ? found : row;
            }

            row = row ?? throw new InvalidOperationException("The floor's challenge row is missing.");
            row["State"] = "Approved";
            row["VerifiedAt"] = now;
            TableTransactionAction[] actions =
            [
                new(TableTransactionActionType.UpdateReplace, row, row.ETag),
                new(TableTransactionActionType.Add, new TableEntity(challenge.PartitionKey, "s-" + NewKey() + NewKey())
                {
                    ["Subject"] = "+1415*****00", ["Channel"] = "Sms", ["Purpose"] = "login", ["ChallengeId"] = challenge.RowKey,
                    ["IssuedAt"] = now, ["ExpiresAt"] = now.AddHours(1), ["PurgeAt"] = now.AddHours(1),
                }),
            ];
            await table.SubmitTransactionAsync(actions);
            stats.Record(started, null);
        }
        catch (RequestFailedException exception)
        {
            stats.Record(started, exception.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (AggregateException exception)
        {
            stats.Record(started, exception.InnerExceptions[0].GetType().Name);
        }

        return true;
    }

    /// <summary>Forgets sent challenges and moves to an empty queue: the emulator slows down as a queue grows.</summary>
    public async Task ResetAsync()
    {
        challenges.Clear();
        queue = NewQueue();
        await queue.CreateIfNotExistsAsync();
    }

    public async Task DeleteAsync()
    {
        try
        {
            await table.DeleteAsync();
            foreach (var used in queues)
            {
                await used.DeleteIfExistsAsync();
            }
        }
        catch (Exception exception) when (exception is RequestFailedException or AggregateException)
        {
            Console.Error.WriteLine($"Could not delete the floor's table and queues: {exception.Message}");
        }
    }

    private QueueClient NewQueue()
    {
        var created = new QueueClient(Azurite.ConnectionString, "floor-" + Guid.NewGuid().ToString("N")[..12], queueOptions);
        queues.Add(created);
        return created;
    }

    // The service's retry settings (OtpStorage), so a slow emulator answer costs both sides the same.
    private static T Configure<T>(T options, StorageRequestCounter counter)
        where T : ClientOptions
    {
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        return options;
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // The columns and sizes of the service's challenge row, so the floor moves as many bytes.
    private static TableEntity ChallengeRow(string partitionKey, string rowKey, DateTimeOffset now) => new(partitionKey, rowKey)
    {
        ["Channel"] = "Sms",
        ["Purpose"] = "login",
        ["Locale"] = "en",
        ["MaskedTo"] = "+1415*****00",
        ["SealedTo"] = Sealed,
        ["CodeHash"] = CodeHash,
        ["CodeVersion"] = 1,
        ["OperationId"] = Guid.NewGuid(),
        ["CreatedAt"] = now,
        ["LastSentAt"] = now,
        ["ExpiresAt"] = now.AddMinutes(10),
        ["State"] = "Pending",
        ["FailedAttempts"] = 0,
        ["DeliveryStatus"] = "Queued",
        ["DeliveryUpdatedAt"] = now,
        ["DeliveryAttempts"] = 0,
        ["PurgeAt"] = now.AddMinutes(10),
    };
}
