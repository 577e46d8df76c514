using System.Diagnostics.CodeAnalysis;

namespace OtpFunctions.Client;

/// <summary>The outcome of a call that answers no body: success, or the service's refusal in <see cref="Error"/>.</summary>
public class OtpResult
{
    private static readonly OtpResult Succeeded = new(null);

    private protected OtpResult(OtpError? error) => Error = error;

    /// <summary>The refusal, or null when the call succeeded.</summary>
    public OtpError? Error { get; }

    /// <summary>True when the service did what was asked.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>Throws <see cref="OtpException"/> carrying <see cref="Error"/> when the call was refused.</summary>
    /// <exception cref="OtpException">The call was refused.</exception>
    public void EnsureSuccess()
    {
        if (Error is { } error)
        {
            throw new OtpException(error);
        }
    }

    internal static OtpResult Success() => Succeeded;

    internal static OtpResult Failure(OtpError error) => new(error);
}

/// <summary>The outcome of a call that answers a body: <see cref="Value"/>, or the service's refusal in <see cref="OtpResult.Error"/>.</summary>
/// <typeparam name="T">The answer's body.</typeparam>
public sealed class OtpResult<T> : OtpResult
{
    private readonly T? value;

    private OtpResult(T? value, OtpError? error)
        : base(error) => this.value = value;

    /// <summary>The answer's body.</summary>
    /// <exception cref="OtpException">The call was refused: check <see cref="OtpResult.IsSuccess"/> or <see cref="OtpResult.Error"/> first.</exception>
    public T Value => IsSuccess ? value! : throw new OtpException(Error);

    internal static OtpResult<T> Success(T value) => new(value, null);

    internal static new OtpResult<T> Failure(OtpError error) => new(default, error);
}
