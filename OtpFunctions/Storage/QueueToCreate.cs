using Azure.Storage.Queues;

namespace OtpFunctions.Storage;

/// <summary>
/// A queue another feature keeps on the service's storage account (the webhook queue), created at start-up with the
/// table and the delivery queues: a queue trigger polls its queue from the first second, and warns on every poll while
/// it is missing.
/// </summary>
public sealed record QueueToCreate(QueueClient Client);
