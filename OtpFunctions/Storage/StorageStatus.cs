using Azure;

namespace OtpFunctions.Storage;

/// <summary>The storage answers this service acts on, by name rather than by number.</summary>
public static class StorageStatus
{
    private const int NotFound = 404;
    private const int Conflict = 409;
    private const int PreconditionFailed = 412;

    /// <summary>The row (or the table) does not exist.</summary>
    public static bool IsNotFound(this RequestFailedException exception) => exception.Status == NotFound;

    /// <summary>An add found the row already there.</summary>
    public static bool IsConflict(this RequestFailedException exception) => exception.Status == Conflict;

    /// <summary>The row changed since it was read: its ETag no longer matches.</summary>
    public static bool IsPreconditionFailed(this RequestFailedException exception) => exception.Status == PreconditionFailed;

    /// <summary>Someone else wrote first (an add that found the row, or a changed ETag): read again and decide again.</summary>
    public static bool IsLostRace(this RequestFailedException exception) => exception.IsConflict() || exception.IsPreconditionFailed();
}
