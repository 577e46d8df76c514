using Azure;

namespace OtpFunctions.Challenges;

/// <summary>What the queue function reads: the challenge (null when gone) and its current code's status row's ETag and purge time.</summary>
public sealed record DeliveryRead(Challenge? Challenge, ETag? StatusETag, DateTimeOffset StatusPurgeAt);
