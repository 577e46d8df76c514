using System.Security.Cryptography;

namespace OtpFunctions.Security;

/// <summary>Draws numeric codes from the OS CSPRNG: one fill of random bytes per code, unbiased digits.</summary>
public static class CodeGenerator
{
    // 250 is the largest multiple of 10 a byte holds: bytes below it map onto the ten digits exactly 25 times
    // each; the six above are thrown away rather than folded in (folding them would make 0-5 more likely).
    private const byte AcceptBelow = 250;

    public static string Generate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 10);
        return string.Create(length, 0, static (span, _) =>
        {
            // One OS call instead of one per digit. A byte is rejected with p = 6/256, so 16 bytes almost always
            // cover 10 digits; when they do not, the loop simply draws another buffer.
            Span<byte> random = stackalloc byte[16];
            var filled = 0;
            while (filled < span.Length)
            {
                RandomNumberGenerator.Fill(random);
                filled = TakeDigits(random, span, filled);
            }

            CryptographicOperations.ZeroMemory(random);
        });
    }

    /// <summary>
    /// Appends to <paramref name="digits"/> (from <paramref name="filled"/> on) one digit per accepted byte of
    /// <paramref name="random"/>, rejecting bytes of 250 and above; returns how many digits are now filled.
    /// </summary>
    internal static int TakeDigits(ReadOnlySpan<byte> random, Span<char> digits, int filled)
    {
        foreach (var value in random)
        {
            if (filled == digits.Length)
            {
                break;
            }

            if (value < AcceptBelow)
            {
                digits[filled++] = (char)('0' + (value % 10));
            }
        }

        return filled;
    }

    /// <summary>Returns a url-safe random token of <paramref name="bytes"/> bytes.</summary>
    public static string NewToken(int bytes = 16) => Base64Url.Encode(RandomNumberGenerator.GetBytes(bytes));
}
