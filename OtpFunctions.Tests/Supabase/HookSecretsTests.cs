using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OtpFunctions.Supabase;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Supabase;

/// <summary>
/// The Standard Webhooks check as a plain object, against signatures made by the official StandardWebhooks package:
/// Supabase's secret format, its ", "-joined signatures during a rotation, the five-minute tolerance both ways.
/// </summary>
public sealed class HookSecretsTests
{
    private static readonly string Body = SupabaseHook.DocumentedSmsPayload;

    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public void AcceptsSignatureOfTheStandardWebhooksPackageGivenSecretAsSupabaseShowsIt()
    {
        var secret = SupabaseHook.NewSecret();

        Assert.Equal(HookSignatureCheck.Valid, Secrets(secret).Check(Headers(clock.GetUtcNow(), secret), Bytes(Body)));
    }

    [Theory]
    [InlineData(",")]
    [InlineData(", ")]
    [InlineData("|")]
    public void AcceptsEitherSecretGivenRotationList(string separator)
    {
        var old = SupabaseHook.NewSecret();
        var next = SupabaseHook.NewSecret();
        var secrets = Secrets(old + separator + next);

        Assert.Equal(HookSignatureCheck.Valid, secrets.Check(Headers(clock.GetUtcNow(), old), Bytes(Body)));
        Assert.Equal(HookSignatureCheck.Valid, secrets.Check(Headers(clock.GetUtcNow(), next), Bytes(Body)));
        Assert.Equal(HookSignatureCheck.Mismatch, secrets.Check(Headers(clock.GetUtcNow(), SupabaseHook.NewSecret()), Bytes(Body)));
    }

    [Fact]
    public void AcceptsMatchingSignatureAmongSeveralGivenSupabaseSigningWithTwoSecrets()
    {
        // Supabase Auth lists one signature per configured secret, joined with ", ".
        var ours = SupabaseHook.NewSecret();

        Assert.Equal(HookSignatureCheck.Valid, Secrets(ours).Check(Headers(clock.GetUtcNow(), SupabaseHook.NewSecret(), ours), Bytes(Body)));
        Assert.Equal(HookSignatureCheck.Valid, Secrets(ours).Check(Headers(clock.GetUtcNow(), ours, SupabaseHook.NewSecret()), Bytes(Body)));
    }

    [Theory]
    [InlineData(-299, HookSignatureCheck.Valid)]
    [InlineData(299, HookSignatureCheck.Valid)]
    [InlineData(-301, HookSignatureCheck.Stale)]
    [InlineData(301, HookSignatureCheck.Stale)]
    public void RefusesTimestampMoreThanFiveMinutesAwayGivenValidSignature(int secondsFromNow, HookSignatureCheck expected)
    {
        var secret = SupabaseHook.NewSecret();

        Assert.Equal(expected, Secrets(secret).Check(Headers(clock.GetUtcNow().AddSeconds(secondsFromNow), secret), Bytes(Body)));
    }

    [Fact]
    public void RefusesChangedBodyGivenSignatureOfTheOriginal()
    {
        var secret = SupabaseHook.NewSecret();
        var changed = Body.Replace("561166", "000000", StringComparison.Ordinal);

        Assert.Equal(HookSignatureCheck.Mismatch, Secrets(secret).Check(Headers(clock.GetUtcNow(), secret), Bytes(changed)));
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void RefusesRequestGivenMissingHeader(string header)
    {
        var secret = SupabaseHook.NewSecret();
        var headers = Headers(clock.GetUtcNow(), secret);
        headers.Remove(header);

        Assert.Equal(HookSignatureCheck.Missing, Secrets(secret).Check(headers, Bytes(Body)));
    }

    [Fact]
    public void RefusesSignatureOfOtherVersionGivenSameMac()
    {
        var secret = SupabaseHook.NewSecret();
        var headers = Headers(clock.GetUtcNow(), secret);
        headers["webhook-signature"] = "v2," + headers["webhook-signature"].ToString()["v1,".Length..];

        Assert.Equal(HookSignatureCheck.Mismatch, Secrets(secret).Check(headers, Bytes(Body)));
    }

    public static TheoryData<string, string> UnreadableSecrets => new()
    {
        { "whsec_%%%notbase64", "not standard base64" },
        { "v1,c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", "v1,whsec_<base64>" },
        { "v1a,whsec_" + Convert.ToBase64String(new byte[32]), "asymmetric" },
        { "v1,whsec_" + Convert.ToBase64String(new byte[8]), "shorter than 16 bytes" },
        { "v1", "v1,whsec_<base64>" },
    };

    [Theory]
    [MemberData(nameof(UnreadableSecrets))]
    public void NamesTheProblemButNeverTheSecretGivenUnreadableSetting(string setting, string problem)
    {
        Assert.False(HookSecrets.TryParse(setting, out _, out var message));
        Assert.Contains(problem, message, StringComparison.Ordinal);
        var secretPart = setting.Split(',')[^1].Replace("whsec_", "", StringComparison.Ordinal);
        Assert.True(secretPart.Length < 8 || !message.Contains(secretPart, StringComparison.Ordinal), message);
    }

    [Fact]
    public void ReadsEverySecretGivenCommaSeparatedList()
    {
        Assert.True(HookSecrets.TryParse($"{SupabaseHook.NewSecret()},{SupabaseHook.NewSecret()}", out var keys, out _));
        Assert.Equal(2, keys.Length);
        Assert.All(keys, key => Assert.Equal(32, key.Length));
    }

    private HookSecrets Secrets(string setting) => new(Options.Create(new SupabaseOptions { HookSecret = setting }), clock);

    private static HeaderDictionary Headers(DateTimeOffset signedAt, params string[] secrets)
    {
        using var request = SupabaseHook.Request("hooks/supabase/send-sms", Body, signedAt, secrets);
        var headers = new HeaderDictionary();
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToArray();
        }

        return headers;
    }

    private static byte[] Bytes(string body) => Encoding.UTF8.GetBytes(body);
}
