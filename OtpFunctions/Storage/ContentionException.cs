namespace OtpFunctions.Storage;

/// <summary>A row stayed contended beyond reason; surfaces as 503 so the client retries.</summary>
public sealed class ContentionException() : Exception("Storage contention did not settle.");
