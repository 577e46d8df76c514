namespace OtpFunctions.Entra;

public enum EntraTokenCheck
{
    Valid,

    /// <summary>Missing, malformed, expired, or for someone else: 401.</summary>
    Refused,

    /// <summary>The tenant's metadata or keys could not be read, so no token can be judged: 503.</summary>
    MetadataUnavailable,
}
