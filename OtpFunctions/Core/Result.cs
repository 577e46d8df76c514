namespace OtpFunctions.Core;

/// <summary>Either a value or an <see cref="ApiError"/>.</summary>
public readonly record struct Result<T>(T? Value, ApiError? Error)
{
    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(ApiError error) => new(default, error);
}
