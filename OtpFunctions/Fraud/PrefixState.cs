namespace OtpFunctions.Fraud;

/// <summary>What is known of a prefix: its sends and verifications per time bucket, and its last block.</summary>
public sealed record PrefixState(IReadOnlyList<BucketCount> Buckets, PrefixBlock? Block)
{
    public static readonly PrefixState Empty = new([], null);
}

/// <summary>Sends made in one time bucket, and how many of them were verified since.</summary>
public sealed record BucketCount(long Bucket, int Sends, int Verified);
