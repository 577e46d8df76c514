namespace OtpFunctions.Storage;

/// <summary>Column every row carries: when the sweeper may delete it.</summary>
public static class StoredRow
{
    public const string PurgeAtColumn = "PurgeAt";
}
