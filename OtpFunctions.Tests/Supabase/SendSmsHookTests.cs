using System.Text.Json;
using OtpFunctions.Supabase;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Supabase;

/// <summary>Where Supabase's documented Send SMS payload sends its code: the user's phone, with the + Supabase leaves out restored.</summary>
public sealed class SendSmsHookTests
{
    [Theory]
    [InlineData("+14155550123")]
    [InlineData("14155550123")]
    [InlineData("1 415 555 0123")]
    public void SendsTheOtpToTheUsersPhoneGivenNumberWithOrWithoutPlus(string phone)
    {
        var message = Assert.Single(Parse(SupabaseHook.SmsPayload(phone)));

        Assert.Equal("+14155550123", message.Destination.Normalized);
        Assert.Equal(Channel.Sms, message.Destination.Channel);
        Assert.Equal("561166", message.Code);
        Assert.Null(message.Template);
        Assert.Equal(1, message.Destination.CallingCode);
    }

    [Fact]
    public void PrefersSmsPhoneGivenNewerSupabaseNamingTheNumber()
    {
        // A phone change: Supabase Auth sends the code to the new number, which it names in sms.phone.
        var payload = SupabaseHook.Replace(SupabaseHook.SmsPayload("14155550123"), "\"otp\": \"561166\"", "\"otp\": \"561166\", \"phone\": \"447911123456\"");

        Assert.Equal("+447911123456", Assert.Single(Parse(payload)).Destination.Normalized);
    }

    [Fact]
    public void RefusesWithBadRequestGivenTheDocumentedExampleNumber()
    {
        // +1333363128 has nine digits after the country code: no North American number has.
        var parsed = SendSmsHook.Parse(Json(SupabaseHook.DocumentedSmsPayload), Channel.Sms);

        Assert.Equal(400, parsed.Error?.Status);
        Assert.Contains("not a valid number", parsed.Error!.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "no sms", SupabaseHook.Replace(SupabaseHook.SmsPayload("14155550123"), "\"sms\"", "\"text\"") },
        { "no otp", SupabaseHook.Replace(SupabaseHook.SmsPayload("14155550123"), "\"otp\"", "\"code\"") },
        { "otp not a string", SupabaseHook.Replace(SupabaseHook.SmsPayload("14155550123"), "\"otp\": \"561166\"", "\"otp\": 561166") },
        { "no phone", SupabaseHook.SmsPayload("") },
        { "phone not a number", SupabaseHook.SmsPayload("call me") },
        { "no user", SupabaseHook.Replace(SupabaseHook.SmsPayload("14155550123"), "\"user\"", "\"member\"") },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RefusesWithBadRequestGivenPayloadOffTheDocumentedSchema(string name, string payload) =>
        Assert.True(SendSmsHook.Parse(Json(payload), Channel.Sms).Error?.Status == 400, name);

    private static IReadOnlyList<HookMessage> Parse(string payload)
    {
        var parsed = SendSmsHook.Parse(Json(payload), Channel.Sms);
        Assert.True(parsed.Error is null, parsed.Error?.Message);
        return parsed.Value!;
    }

    private static JsonElement Json(string payload) => JsonDocument.Parse(payload).RootElement.Clone();
}
