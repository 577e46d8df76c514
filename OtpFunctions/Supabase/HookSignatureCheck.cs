namespace OtpFunctions.Supabase;

/// <summary>What the Standard Webhooks check of a hook request found; anything but <see cref="Valid"/> answers 401.</summary>
public enum HookSignatureCheck
{
    Valid,

    /// <summary>A header is missing or malformed.</summary>
    Missing,

    /// <summary>The timestamp is more than <see cref="HookSecrets.Tolerance"/> away from now.</summary>
    Stale,

    /// <summary>No listed signature matches any configured secret.</summary>
    Mismatch,
}
