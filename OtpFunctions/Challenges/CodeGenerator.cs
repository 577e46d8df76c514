using System.Security.Cryptography;

namespace OtpFunctions.Challenges;

/// <summary>Draws numeric codes from the OS CSPRNG, one unbiased digit at a time.</summary>
public static class CodeGenerator
{
    public static string Generate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 10);
        return string.Create(length, 0, static (span, _) =>
        {
            // GetInt32 rejects out-of-range samples internally, so every digit is uniform (no modulo bias).
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
            }
        });
    }

    /// <summary>Returns a url-safe random token of <paramref name="bytes"/> bytes.</summary>
    public static string NewToken(int bytes = 16) => Base64Url.Encode(RandomNumberGenerator.GetBytes(bytes));
}
