using OtpFunctions.Http;

namespace OtpFunctions.Verifying;

/// <summary>A validated verify body: exactly <c>Otp:CodeLength</c> ASCII digits, as a JSON string.</summary>
public static class VerifyRequest
{
    public static Result<string> Parse(JsonBody body, int codeLength)
    {
        var code = body.GetString("code", required: true, maxLength: 64);
        if (code.Error is { } error)
        {
            return error;
        }

        var text = code.Value!;
        if (text.Length != codeLength || !text.All(char.IsAsciiDigit))
        {
            return ApiError.InvalidRequest($"code must be exactly {codeLength} digits.");
        }

        return text;
    }
}
