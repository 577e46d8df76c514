using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

/// <summary>
/// A voice call through a fake ACS Call Automation endpoint (stable 2024-09-15, HMAC checked), driven by the callbacks
/// ACS would post: connected → the code read out → play completed → hung up, delivered; failures start the fallback.
/// </summary>
public sealed partial class AcsVoiceProviderTests : IAsyncLifetime
{
    private static readonly string[] Sms = ["sms"];
    private AcsDeliveryHost acsHost = null!;

    private FakeAcsServer Acs => acsHost.Acs;

    private OtpHost Host => acsHost.Host;

    public async Task InitializeAsync() => acsHost = await AcsDeliveryHost.StartAsync(fake => new Dictionary<string, string?>
    {
        ["Otp:Delivery:Voice:Provider"] = "Acs",
        ["Otp:Delivery:Voice:ConnectionString"] = fake.ConnectionString,
        ["Otp:Delivery:Voice:From"] = "+18005550199",
        ["Otp:PublicBaseUrl"] = "http://127.0.0.1:7071",
    });

    public async Task DisposeAsync() => await acsHost.DisposeAsync();

    [Fact]
    public async Task ReadsTheCodeOutTwiceThenHangsUpGivenTheCallConnects()
    {
        var id = await SendAsync("voice", locale: "fr");
        var (callback, call) = await CallPlacedAsync(id);

        await PostAsync(callback, "CallConnected", call);
        var play = await acsHost.WaitForRequestAsync(r => r.PathAndQuery.Contains(call + ":play", StringComparison.Ordinal));
        var source = play.Json().GetProperty("playSources")[0].GetProperty("text");
        var spoken = Digits().Matches(source.GetProperty("text").GetString()!);
        await PostAsync(callback, "PlayCompleted", call);
        await acsHost.WaitForRequestAsync(r => r.Method == "DELETE" && r.PathAndQuery.Contains(call, StringComparison.Ordinal));
        var delivery = await Host.WaitForDeliveryAsync(id, "delivered");
        using var verify = await Host.VerifyAsync(id, spoken[0].Value.Replace(", ", "", StringComparison.Ordinal));

        Assert.Null(play.Rejection);
        Assert.Equal(2, spoken.Count);
        Assert.Equal(spoken[0].Value, spoken[1].Value);
        Assert.Equal("fr-FR", source.GetProperty("sourceLocale").GetString());
        Assert.Equal(["voice:delivered"], delivery.Attempts.Select(a => $"{a.Channel}:{a.Status}"));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    [Fact]
    public async Task RefusesACallbackWithoutOurSignature()
    {
        var id = await SendAsync("voice");
        var (callback, call) = await CallPlacedAsync(id);
        var unsigned = callback[..callback.IndexOf('?', StringComparison.Ordinal)];
        var forged = callback[..(callback.IndexOf("sig=", StringComparison.Ordinal) + 4)] + "AAAA" + callback[(callback.IndexOf("sig=", StringComparison.Ordinal) + 8)..];
        var otherVersion = callback.Replace("v=1", "v=2", StringComparison.Ordinal);

        foreach (var url in new[] { unsigned, forged, otherVersion })
        {
            using var answer = await Host.Client.PostAsync(url, Events("CallConnected", call));
            await Contract.AssertErrorAsync(answer, HttpStatusCode.Unauthorized, "unauthorized");
        }

        Assert.DoesNotContain(Acs.Requests, r => r.PathAndQuery.Contains(":play", StringComparison.Ordinal) && r.PathAndQuery.Contains(call, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FallsBackToSmsGivenTheCallCannotBeMade()
    {
        var id = await SendAsync("voice", Sms);
        var (callback, call) = await CallPlacedAsync(id);

        await PostAsync(callback, "CreateCallFailed", call);

        var delivery = await Host.WaitForDeliveryAsync(id, "sent");
        Assert.Equal(["voice:failed", "sms:sent"], delivery.Attempts.Select(a => $"{a.Channel}:{a.Status}"));
        Assert.Contains("CreateCallFailed", delivery.Attempts[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarksDeliveryFailedGivenTheCallEndsBeforeTheCodeWasRead()
    {
        var id = await SendAsync("voice");
        var (callback, call) = await CallPlacedAsync(id);

        await PostAsync(callback, "CallDisconnected", call);

        var delivery = await Host.WaitForDeliveryAsync(id, "failed");
        Assert.Equal("voice", delivery.Channel);
    }

    private async Task<string> SendAsync(string channel, string[]? fallback = null, string locale = "en")
    {
        using var response = await Host.Client.PostAsJsonAsync("otp", new { channel, to = Destinations.Phone(), locale, fallback });
        return (await Contract.ReadAsync<SendAnswer>(response, HttpStatusCode.Accepted)).Id;
    }

    /// <summary>The create-call request for challenge <paramref name="id"/>: its callback (relative to the host's /api/) and the call's id.</summary>
    private async Task<(string Callback, string Call)> CallPlacedAsync(string id)
    {
        var create = await acsHost.WaitForRequestAsync(r => r.PathAndQuery.StartsWith("/calling/callConnections?", StringComparison.Ordinal)
            && r.Json().GetProperty("callbackUri").GetString()!.Contains(id, StringComparison.Ordinal));
        Assert.Null(create.Rejection);
        var callback = new Uri(create.Json().GetProperty("callbackUri").GetString()!);
        await Host.WaitForDeliveryAsync(id, "sent");
        return (callback.PathAndQuery["/api/".Length..], create.Header("Repeatability-Request-ID")!);
    }

    private async Task PostAsync(string callback, string type, string call)
    {
        using var answer = await Host.Client.PostAsync(callback, Events(type, call));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    /// <summary>The CloudEvents array ACS posts to a call's callback for one <paramref name="type"/> of event.</summary>
    internal static StringContent Events(string type, string call) => new(
        System.Text.Json.JsonSerializer.Serialize(new[]
        {
            new
            {
                id = Guid.NewGuid().ToString("D"),
                source = $"calling/callConnections/{call}",
                type = $"Microsoft.Communication.{type}",
                specversion = "1.0",
                time = "2026-11-25T10:00:00Z",
                data = new
                {
                    callConnectionId = call,
                    serverCallId = "x",
                    correlationId = "y",
                    resultInformation = new { code = type.Contains("Fail", StringComparison.Ordinal) ? 500 : 200, subCode = 0, message = "ok" },
                },
            },
        }),
        Encoding.UTF8,
        "application/json");

    [GeneratedRegex(@"\d(, \d)+")]
    internal static partial Regex Digits();
}
