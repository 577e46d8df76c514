namespace OtpFunctions.Client;

/// <summary>Thrown by <see cref="OtpResult.EnsureSuccess"/> and by <see cref="OtpResult{T}.Value"/> of a refused call.</summary>
public sealed class OtpException : Exception
{
    /// <summary>Wraps a refusal.</summary>
    /// <param name="error">What the service answered.</param>
    public OtpException(OtpError error)
        : base($"{error.Code} ({(int)error.Status}): {error.Message}") => Error = error;

    /// <summary>What the service answered.</summary>
    public OtpError Error { get; }
}
