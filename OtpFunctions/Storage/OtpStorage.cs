using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using OtpFunctions.Configuration;

namespace OtpFunctions.Storage;

/// <summary>
/// The singleton storage clients. <c>OtpStorage</c> is either a connection string or, as the Functions
/// host accepts it, a section with <c>tableServiceUri</c>/<c>queueServiceUri</c> for managed identity.
/// </summary>
public sealed class OtpStorage
{
    private readonly Func<string, QueueClient>? queues;

    public OtpStorage(TableClient table, QueueClient queue, QueueClient poisonQueue, Func<string, QueueClient>? queues = null)
    {
        Table = table;
        Queue = queue;
        PoisonQueue = poisonQueue;
        this.queues = queues;
    }

    public TableClient Table { get; }

    public QueueClient Queue { get; }

    public QueueClient PoisonQueue { get; }

    /// <summary>Another queue on the same account and credential (the webhook queues).</summary>
    public QueueClient QueueNamed(string name) =>
        queues?.Invoke(name) ?? throw new InvalidOperationException("This storage was built without a queue factory.");

    public static OtpStorage Create(StorageOptions options, AzureCredentials credentials, IEnumerable<HttpPipelinePolicy> policies)
    {
        var tableOptions = Configure(new TableClientOptions(), policies);
        // The queue trigger decodes base64 by default, so messages must be written that way.
        var queueOptions = Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, policies);
        var connection = options.Connection;
        return string.IsNullOrWhiteSpace(connection.ConnectionString)
            ? WithIdentity(options, credentials.For(connection.ClientId), tableOptions, queueOptions)
            : WithConnectionString(options, connection.ConnectionString, tableOptions, queueOptions);
    }

    private static OtpStorage WithConnectionString(StorageOptions options, string connectionString, TableClientOptions tableOptions, QueueClientOptions queueOptions)
    {
        try
        {
            return new OtpStorage(
                new TableClient(connectionString, options.Table, tableOptions),
                new QueueClient(connectionString, options.Queue, queueOptions),
                new QueueClient(connectionString, options.PoisonQueue, queueOptions),
                name => new QueueClient(connectionString, name, queueOptions));
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's own message says neither which setting is wrong nor how; the value holds the account key, so it is not echoed.
            throw new InvalidOperationException($"{SettingNames.StorageConnection} is not a valid storage connection string ({exception.GetType().Name}): use UseDevelopmentStorage=true for Azurite, an account's DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=… string, or {SettingNames.StorageConnection}__tableServiceUri and {SettingNames.StorageConnection}__queueServiceUri for managed identity.");
        }
    }

    private static OtpStorage WithIdentity(StorageOptions options, TokenCredential credential, TableClientOptions tableOptions, QueueClientOptions queueOptions)
    {
        var (tableUri, queueUri) = (options.Connection.TableServiceUri, options.Connection.QueueServiceUri);
        if (string.IsNullOrWhiteSpace(tableUri) || string.IsNullOrWhiteSpace(queueUri))
        {
            throw new InvalidOperationException("OtpStorage is required: a connection string (UseDevelopmentStorage=true for Azurite) or OtpStorage__tableServiceUri and OtpStorage__queueServiceUri for managed identity.");
        }

        var queueService = new Uri(queueUri.TrimEnd('/') + "/");
        return new OtpStorage(
            new TableClient(new Uri(tableUri), options.Table, credential, tableOptions),
            new QueueClient(new Uri(queueService, options.Queue), credential, queueOptions),
            new QueueClient(new Uri(queueService, options.PoisonQueue), credential, queueOptions),
            name => new QueueClient(new Uri(queueService, name), credential, queueOptions));
    }

    private static T Configure<T>(T options, IEnumerable<HttpPipelinePolicy> policies)
        where T : ClientOptions
    {
        // A request must fail fast (503 to the caller) rather than hang on a dead storage account.
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        foreach (var policy in policies)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        return options;
    }
}
