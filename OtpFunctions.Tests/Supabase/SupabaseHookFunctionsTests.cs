using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OtpFunctions.Delivery;
using OtpFunctions.Tests.Support;
using Xunit.Abstractions;

namespace OtpFunctions.Tests.Supabase;

/// <summary>
/// <c>POST /api/hooks/supabase/send-sms</c> and <c>/send-email</c> as Supabase Auth calls them: its documented payloads,
/// signed with the StandardWebhooks package, answered <c>200 {}</c> once queued and delivered through our templates;
/// a bad or stale signature is a 401, limits a 429, anything else Supabase's error body; nothing is sent on a refusal.
/// </summary>
public sealed class SupabaseHookFunctionsTests(SupabaseFixture fixture, ITestOutputHelper output) : IClassFixture<SupabaseFixture>
{
    private const string SmsRoute = "hooks/supabase/send-sms";
    private const string EmailRoute = "hooks/supabase/send-email";

    private OtpHost Host => fixture.Host;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnswersEmptyObjectAndTextsSupabasesCodeGivenDocumentedSmsPayload(bool withPlus)
    {
        // Supabase Auth stores numbers without the + (14155550100); a number the app wrote itself may keep it.
        var phone = Destinations.Phone();
        using var response = await PostAsync(SmsRoute, SupabaseHook.SmsPayload(withPlus ? phone : phone[1..], otp: "561166"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        var delivered = await WaitForAsync(phone);
        Assert.Equal(Channel.Sms, delivered.Channel);
        Assert.Equal("561166 is your Contoso code. Do not share it.", delivered.Message.Text.Trim());
        Assert.Equal(OtpFunctions.Challenges.Destination.Mask(Channel.Sms, phone), delivered.MaskedTo);
    }

    [Fact]
    public async Task AnswersEmptyObjectAndEmailsSupabasesCodeGivenDocumentedEmailPayload()
    {
        var email = Destinations.Email();
        using var response = await PostAsync(EmailRoute, SupabaseHook.EmailPayload(email));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        var delivered = await WaitForAsync(email);
        Assert.Equal("Confirm your Contoso account", delivered.Message.Subject);
        Assert.Contains("305805", delivered.Message.Text, StringComparison.Ordinal);
        Assert.Contains("305805", delivered.Message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("305805", delivered.Message.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("magiclink", "Your Contoso sign-in code")]
    [InlineData("email", "Your Contoso sign-in code")]
    [InlineData("recovery", "Reset your Contoso password")]
    [InlineData("invite", "You have been invited to Contoso")]
    [InlineData("reauthentication", "Confirm it is you on Contoso")]
    public async Task WritesTheActionsTemplateGivenEmailActionType(string action, string subject)
    {
        var email = Destinations.Email();
        using var response = await PostAsync(EmailRoute, SupabaseHook.EmailPayload(email, action, token: "246810"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivered = await WaitForAsync(email);
        Assert.Equal(subject, delivered.Message.Subject);
        Assert.Contains("246810", delivered.Message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmailsTheNewAddressOnlyGivenEmailChangeWithoutSecureEmailChange()
    {
        // Secure Email Change off: Supabase makes one code, for the new address, and puts it in token (token_new empty).
        var current = Destinations.Email();
        var next = Destinations.Email();
        var payload = SupabaseHook.Replace(SupabaseHook.EmailPayload(current, "email_change", token: "333333"), "\"is_anonymous\": false", $"\"is_anonymous\": false, \"new_email\": \"{next}\"");

        using var response = await PostAsync(EmailRoute, payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var toNext = await WaitForAsync(next);
        Assert.Equal("Confirm the change of your Contoso email address", toNext.Message.Subject);
        Assert.Contains("333333", toNext.Message.Text, StringComparison.Ordinal);
        await Host.WaitForQueueDrainedAsync();
        Assert.DoesNotContain(Host.Delivery.Requests, request => request.To == current);
    }

    [Fact]
    public async Task EmailsEachAddressItsOwnCodeGivenSecureEmailChange()
    {
        var current = Destinations.Email();
        var next = Destinations.Email();
        var payload = SupabaseHook.Replace(
            SupabaseHook.Replace(SupabaseHook.EmailPayload(current, "email_change", token: "111111"), "\"token_new\": \"\"", "\"token_new\": \"222222\""),
            "\"is_anonymous\": false",
            $"\"is_anonymous\": false, \"new_email\": \"{next}\"");

        using var response = await PostAsync(EmailRoute, payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var toCurrent = await WaitForAsync(current);
        var toNext = await WaitForAsync(next);
        Assert.Contains("111111", toCurrent.Message.Text, StringComparison.Ordinal);
        Assert.Contains("222222", toNext.Message.Text, StringComparison.Ordinal);
        Assert.Equal("Confirm the change of your Contoso email address", toNext.Message.Subject);
    }

    [Fact]
    public async Task WritesInTheUsersLanguageGivenLocaleInUserMetadata()
    {
        var phone = Destinations.Phone();
        var payload = SupabaseHook.Replace(SupabaseHook.SmsPayload(phone, otp: "135790"), "\"user_metadata\": {}", "\"user_metadata\": {\"locale\": \"es-MX\"}");

        using var response = await PostAsync(SmsRoute, payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("135790 es tu código de Contoso. No lo compartas.", (await WaitForAsync(phone)).Message.Text.Trim());
    }

    [Fact]
    public async Task AcceptsSignatureOfTheRetiringSecretGivenRotation()
    {
        var phone = Destinations.Phone();
        using var request = SupabaseHook.Request(SmsRoute, SupabaseHook.SmsPayload(phone), secrets: fixture.RetiringSecret);
        using var response = await Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await WaitForAsync(phone);
    }

    public static TheoryData<string> SpoiledSignatures => new() { "other secret", "stale", "future", "changed body", "unsigned" };

    [Theory]
    [MemberData(nameof(SpoiledSignatures))]
    public async Task RefusesWithUnauthorizedAndSendsNothingGivenSignatureSupabaseDidNotMake(string spoiled)
    {
        var phone = Destinations.Phone();
        var payload = SupabaseHook.SmsPayload(phone);
        using var request = spoiled switch
        {
            "other secret" => SupabaseHook.Request(SmsRoute, payload, secrets: SupabaseHook.NewSecret()),
            "stale" => SupabaseHook.Request(SmsRoute, payload, DateTimeOffset.UtcNow.AddMinutes(-6), fixture.Secret),
            "future" => SupabaseHook.Request(SmsRoute, payload, DateTimeOffset.UtcNow.AddMinutes(6), fixture.Secret),
            "changed body" => Resigned(SupabaseHook.Request(SmsRoute, payload, secrets: fixture.Secret), SupabaseHook.SmsPayload(Destinations.Phone())),
            _ => SupabaseHook.Request(SmsRoute, payload),
        };

        using var response = await Host.Client.SendAsync(request);

        await AssertHookErrorAsync(response, HttpStatusCode.Unauthorized);
        // Every queued code delivered, rather than a fixed wait: none of them may be this one.
        await Host.WaitForQueueDrainedAsync();
        Assert.DoesNotContain(Host.Delivery.Requests, delivered => delivered.To == phone);
    }

    [Fact]
    public async Task RefusesWithTooManyRequestsAndRetryAfterGivenDestinationLimitReached()
    {
        var phone = Destinations.Phone();
        for (var i = 0; i < 5; i++)
        {
            using var sent = await PostAsync(SmsRoute, SupabaseHook.SmsPayload(phone, otp: $"10000{i}"));
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        using var refused = await PostAsync(SmsRoute, SupabaseHook.SmsPayload(phone, otp: "999999"));

        await AssertHookErrorAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter);
        // Every queued code delivered, rather than a fixed wait: none of them may be this one.
        await Host.WaitForQueueDrainedAsync();
        Assert.DoesNotContain(Host.Delivery.Requests, delivered => delivered.To == phone && delivered.Message.Text.Contains("999999", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CountsSupabasesSendsAgainstTheDestinationsLimitForOurOwnSends()
    {
        // One person, one limit: a phone that had its codes from Supabase has none left from POST /api/otp either.
        var phone = Destinations.Phone();
        for (var i = 0; i < 5; i++)
        {
            using var sent = await PostAsync(SmsRoute, SupabaseHook.SmsPayload(phone, otp: $"20000{i}"));
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        using var ours = await Host.Client.PostAsync("otp", new StringContent($$"""{"channel":"sms","to":"{{phone}}"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.TooManyRequests, ours.StatusCode);
    }

    [Fact]
    public async Task RefusesWithBadRequestGivenCountryNotAllowed()
    {
        using var response = await PostAsync(SmsRoute, SupabaseHook.SmsPayload("33612345678"));

        await AssertHookErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("password_changed_notification")]
    [InlineData("mfa_factor_enrolled_notification")]
    public async Task RefusesWithSupabasesErrorBodyGivenNotificationWithoutCode(string action)
    {
        var email = Destinations.Email();
        using var response = await PostAsync(EmailRoute, SupabaseHook.EmailPayload(email, action));

        var message = await AssertHookErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("email_action_type", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusesWithSupabasesErrorBodyGivenBodyThatIsNotJson()
    {
        using var response = await PostAsync(SmsRoute, "{\"user\":");

        await AssertHookErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnswersNoVerifyStatusOrCancelForRelayedChallenge()
    {
        var email = Destinations.Email();
        using var response = await PostAsync(EmailRoute, SupabaseHook.EmailPayload(email, "magiclink", token: "864209"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivered = await WaitForAsync(email);

        // Supabase checks its own code; our verify must not turn it into one of our session tokens.
        using var verify = await Host.VerifyAsync(delivered.ChallengeId, "864209");
        using var status = await Host.Client.GetAsync($"otp/{delivered.ChallengeId}");

        Assert.Equal(HttpStatusCode.NotFound, verify.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task CallsTheUserGivenVoiceAsSmsChannel()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?>
        {
            ["Otp:Supabase:HookSecret"] = fixture.Secret,
            ["Otp:Supabase:SmsChannel"] = "voice",
            ["Otp:Delivery:Voice:Provider"] = "Log",
            ["Otp:AppName"] = "Contoso",
        });
        var phone = Destinations.Phone();
        using var request = SupabaseHook.Request(SmsRoute, SupabaseHook.SmsPayload(phone, otp: "314159"), secrets: fixture.Secret);
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var delivered = (await Eventually.GetAsync(
            () => Task.FromResult(host.Delivery.Requests.FirstOrDefault(r => r.To == phone)),
            found => found is not null,
            _ => "nothing was delivered",
            TimeSpan.FromSeconds(20)))!;
        Assert.Equal(Channel.Voice, delivered.Channel);
        Assert.Contains("3, 1, 4, 1, 5, 9", delivered.Message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("minutes", delivered.Message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusesWithBadRequestGivenSmsChannelNotConfigured()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?>
        {
            ["Otp:Supabase:HookSecret"] = fixture.Secret,
            ["Otp:Supabase:SmsChannel"] = "whatsapp",
            ["Otp:Delivery:WhatsApp:Provider"] = "None",
        }, listenToQueue: false);
        using var request = SupabaseHook.Request(SmsRoute, SupabaseHook.SmsPayload(Destinations.Phone()), secrets: fixture.Secret);
        using var response = await host.Client.SendAsync(request);

        var message = await AssertHookErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("whatsapp", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepsTextingAPrefixGivenManySupabaseSendsThatNeverVerifyHere()
    {
        // Supabase checks its own codes, so none of its sends can be verified here: they must not read as an
        // unconverted (pumped) number range to the fraud guard, or every busy prefix would be blocked.
        await using var host = await OtpHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Otp:Supabase:HookSecret"] = fixture.Secret,
                ["Otp:FraudGuard:Mode"] = "Block",
                ["Otp:FraudGuard:MinSends"] = "3",
                ["Otp:FraudGuard:Grace"] = "00:00:10",
            },
            fakeClock: true);
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                // Signed at the host's time: the test moves it on by the signature's whole five-minute tolerance, so a
                // second round signed by the real clock would sit exactly at the edge of being refused as stale.
                using var request = SupabaseHook.Request(SmsRoute, SupabaseHook.SmsPayload(Destinations.Phone()), host.Clock!.GetUtcNow(), fixture.Secret);
                using var response = await host.Client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"round {round}, send {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            // Past the grace and the end of the bucket the sends fell in (about two minutes for a one-hour window),
            // so the next round's first send judges this round's four.
            host.Clock!.Advance(TimeSpan.FromMinutes(5));
        }
    }

    [Fact]
    public async Task AnswersNotFoundGivenNoHookSecret()
    {
        await using var host = await OtpHost.StartAsync(listenToQueue: false);
        using var request = SupabaseHook.Request(SmsRoute, SupabaseHook.SmsPayload(Destinations.Phone()), secrets: fixture.Secret);
        using var response = await host.Client.SendAsync(request);

        await Contract.AssertErrorAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AnswersWellWithinSupabasesFiveSecondTimeout()
    {
        var timings = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await PostAsync(i % 2 == 0 ? SmsRoute : EmailRoute, i % 2 == 0 ? SupabaseHook.SmsPayload(Destinations.Phone()) : SupabaseHook.EmailPayload(Destinations.Email()));
            timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Supabase Auth gives each attempt five seconds; the answer comes once the code is queued, before delivery.
        var first = timings[0];
        timings.Sort();
        output.WriteLine($"supabase hooks x20: first {first:F0} ms, p50 {timings[9]:F0} ms, p95 {timings[18]:F0} ms, max {timings[19]:F0} ms");
        Assert.True(timings[9] < 5000, $"median {timings[9]:F0} ms is beyond Supabase's five seconds");
    }

    private async Task<HttpResponseMessage> PostAsync(string route, string payload)
    {
        using var request = SupabaseHook.Request(route, payload, secrets: fixture.Secret);
        return await Host.Client.SendAsync(request);
    }

    /// <summary>The same headers over another body: what an attacker who saw one request could try.</summary>
    private static HttpRequestMessage Resigned(HttpRequestMessage original, string otherPayload)
    {
        original.Content = new StringContent(otherPayload, System.Text.Encoding.UTF8, "application/json");
        return original;
    }

    /// <summary>Supabase's documented error body, with the answer's status as its http_code; returns the message.</summary>
    private static async Task<string> AssertHookErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(text);
        var error = body.RootElement.GetProperty("error");
        Assert.Equal((int)status, error.GetProperty("http_code").GetInt32());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message), text);
        return message!;
    }

    private async Task<DeliveryRequest> WaitForAsync(string to) =>
        (await Eventually.GetAsync(
            () => Task.FromResult(Host.Delivery.Requests.FirstOrDefault(request => request.To == to)),
            found => found is not null,
            _ => $"nothing was delivered to {to}",
            TimeSpan.FromSeconds(20)))!;
}
