using Azure.Data.Tables;

namespace OtpFunctions.Fraud;

/// <summary>One read of a prefix's partition: its rows as read (their ETags guard the writes that follow) and what they say.</summary>
public sealed record PrefixRead(string Prefix, IReadOnlyDictionary<string, TableEntity> Rows, PrefixState State);
