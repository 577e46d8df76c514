using System.Text.Json;
using OtpFunctions.Supabase;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Supabase;

/// <summary>
/// Which code goes where in which template, read from Supabase's documented Send Email payload: one message per
/// action, and for an email change the addresses Supabase Auth meant (its token fields are named the other way round).
/// </summary>
public sealed class SendEmailHookTests
{
    [Fact]
    public void ReturnsOneSignupMessageToUserEmailGivenDocumentedPayload()
    {
        var message = Assert.Single(Parse(SupabaseHook.DocumentedEmailPayload));

        Assert.Equal(Channel.Email, message.Destination.Channel);
        Assert.Equal("valid.email@supabase.io", message.Destination.Normalized);
        Assert.Equal("305805", message.Code);
        Assert.Equal("supabase-signup", message.Template);
        Assert.Equal("en", message.Locale);
    }

    [Theory]
    [InlineData("signup", "supabase-signup")]
    [InlineData("invite", "supabase-invite")]
    [InlineData("magiclink", "supabase-magiclink")]
    [InlineData("email", "supabase-magiclink")]
    [InlineData("recovery", "supabase-recovery")]
    [InlineData("reauthentication", "supabase-reauthentication")]
    public void ChoosesTheActionsTemplateGivenActionWithCode(string action, string template) =>
        Assert.Equal(template, Assert.Single(Parse(SupabaseHook.EmailPayload("ada@example.com", action))).Template);

    [Fact]
    public void SendsTheCodeToTheNewAddressGivenEmailChangeWithoutSecureEmailChange()
    {
        // Secure Email Change off: one code, for the new address, in token; token_new is empty.
        var payload = WithNewEmail(SupabaseHook.EmailPayload("old@example.com", "email_change", token: "111111"), "new@example.com");

        var message = Assert.Single(Parse(payload));

        Assert.Equal("new@example.com", message.Destination.Normalized);
        Assert.Equal("111111", message.Code);
        Assert.Equal("supabase-email-change", message.Template);
    }

    [Fact]
    public void SendsTokenToCurrentAndTokenNewToNewAddressGivenSecureEmailChange()
    {
        var payload = SupabaseHook.Replace(
            WithNewEmail(SupabaseHook.EmailPayload("old@example.com", "email_change", token: "111111"), "new@example.com"),
            "\"token_new\": \"\"",
            "\"token_new\": \"222222\"");

        var messages = Parse(payload);

        Assert.Equal(2, messages.Count);
        Assert.Contains(messages, m => m.Destination.Normalized == "old@example.com" && m.Code == "111111");
        Assert.Contains(messages, m => m.Destination.Normalized == "new@example.com" && m.Code == "222222");
    }

    [Fact]
    public void ReadsEmailNewGivenTheNameSupabasesDocumentationUses()
    {
        var payload = SupabaseHook.Replace(
            SupabaseHook.EmailPayload("old@example.com", "email_change"),
            "\"is_anonymous\": false",
            "\"is_anonymous\": false, \"email_new\": \"new@example.com\"");

        Assert.Equal("new@example.com", Assert.Single(Parse(payload)).Destination.Normalized);
    }

    [Theory]
    [InlineData("password_changed_notification")]
    [InlineData("email_changed_notification")]
    [InlineData("identity_linked_notification")]
    [InlineData("something_new")]
    public void RefusesWithBadRequestGivenActionThatCarriesNoCode(string action)
    {
        var parsed = SendEmailHook.Parse(Json(SupabaseHook.EmailPayload("ada@example.com", action)));

        Assert.Equal(400, parsed.Error?.Status);
        Assert.Contains("email_action_type", parsed.Error!.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "no email_data", SupabaseHook.Replace(SupabaseHook.DocumentedEmailPayload, "\"email_data\"", "\"other_data\"") },
        { "no token", SupabaseHook.Replace(SupabaseHook.DocumentedEmailPayload, "\"token\": \"305805\"", "\"token\": \"\"") },
        { "token with markup", SupabaseHook.Replace(SupabaseHook.DocumentedEmailPayload, "\"token\": \"305805\"", "\"token\": \"<b>1</b>\"") },
        { "email change without new address", SupabaseHook.EmailPayload("ada@example.com", "email_change") },
        { "user without email", SupabaseHook.Replace(SupabaseHook.DocumentedEmailPayload, "\"email\": \"valid.email@supabase.io\",\n    \"phone\"", "\"email\": \"\",\n    \"phone\"") },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RefusesWithBadRequestGivenPayloadOffTheDocumentedSchema(string name, string payload) =>
        Assert.True(SendEmailHook.Parse(Json(payload)).Error?.Status == 400, name);

    [Fact]
    public void WritesInTheUsersLanguageGivenLocaleInUserMetadata()
    {
        var payload = SupabaseHook.Replace(SupabaseHook.DocumentedEmailPayload, "\"sub\": \"8484b834-f29e-4af2-bf42-80644d154f76\"\n    },", "\"sub\": \"8484b834-f29e-4af2-bf42-80644d154f76\", \"locale\": \"fr-CA\"\n    },");

        Assert.Equal("fr", Assert.Single(Parse(payload)).Locale);
    }

    private static IReadOnlyList<HookMessage> Parse(string payload)
    {
        var parsed = SendEmailHook.Parse(Json(payload));
        Assert.True(parsed.Error is null, parsed.Error?.Message);
        return parsed.Value!;
    }

    private static string WithNewEmail(string payload, string address) =>
        SupabaseHook.Replace(payload, "\"is_anonymous\": false", $"\"is_anonymous\": false, \"new_email\": \"{address}\"");

    private static JsonElement Json(string payload) => JsonDocument.Parse(payload).RootElement.Clone();
}
