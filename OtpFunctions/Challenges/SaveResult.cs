namespace OtpFunctions.Challenges;

public enum SaveResult
{
    Saved,

    /// <summary>Someone else wrote first: read again and decide again.</summary>
    Conflict,

    /// <summary>The challenge to supersede no longer exists: save again without retiring it.</summary>
    SupersededRowMissing,
}
