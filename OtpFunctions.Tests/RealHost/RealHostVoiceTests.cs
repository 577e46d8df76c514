using System.Net;
using System.Net.Http.Json;
using OtpFunctions.Tests.Support;
using static OtpFunctions.Tests.Delivery.AcsVoiceProviderTests;

namespace OtpFunctions.Tests.RealHost;

/// <summary>
/// Voice calls under the real Functions host: the callback route is reached without a function key (ACS has none),
/// our own signature is what opens it, and a call that cannot be made hands the code to the fallback channel.
/// </summary>
[Collection(RealHostGroup.Name)]
public sealed class RealHostVoiceTests(RealHostFixture fixture)
{
    private static readonly TimeSpan Patience = RealFunctionsHost.Patience;

    private RealFunctionsHost Host => fixture.Host;

    [Fact]
    public async Task ReadsTheCodeOutAndHangsUpThroughTheCallbackRouteUnderTheRealHost()
    {
        var id = await SendAsync("+14155550181", []);
        var (callback, call) = await CallPlacedAsync(id);
        var unsigned = callback[..callback.IndexOf('?', StringComparison.Ordinal)];

        using var forged = await Host.Client.PostAsync(unsigned, Events("CallConnected", call));
        await PostAsync(callback, "CallConnected", call);
        var play = await WaitForAsync(r => r.PathAndQuery.Contains(call + ":play", StringComparison.Ordinal));
        await PostAsync(callback, "PlayCompleted", call);
        await WaitForAsync(r => r.Method == "DELETE" && r.PathAndQuery.Contains(call, StringComparison.Ordinal));
        var delivery = await DeliveryAsync(id, "delivered");
        var spoken = Digits().Match(play.Json().GetProperty("playSources")[0].GetProperty("text").GetProperty("text").GetString()!).Value;
        using var verify = await Host.Client.PostAsJsonAsync($"api/otp/{id}/verify", new { code = spoken.Replace(", ", "", StringComparison.Ordinal) });

        await Contract.AssertErrorAsync(forged, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Null(play.Rejection);
        Assert.Equal(["voice:delivered"], delivery.Attempts.Select(a => $"{a.Channel}:{a.Status}"));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    [Fact]
    public async Task HandsTheCodeToWhatsAppGivenTheCallCannotBeMadeUnderTheRealHost()
    {
        var id = await SendAsync("+14155550182", ["whatsapp"]);
        var (callback, call) = await CallPlacedAsync(id);

        await PostAsync(callback, "CreateCallFailed", call);

        await Host.WaitForConsoleAsync(@"Development delivery via the log: WhatsApp to \+1415\*+82: \d{6}", Patience);
        var delivery = await DeliveryAsync(id, "sent");
        Assert.Equal(["voice:failed", "whatsapp:sent"], delivery.Attempts.Select(a => $"{a.Channel}:{a.Status}"));
    }

    private async Task<string> SendAsync(string to, string[] fallback)
    {
        using var response = await Host.Client.PostAsJsonAsync("api/otp", new { channel = "voice", to, fallback });
        return (await Contract.ReadAsync<SendAnswer>(response, HttpStatusCode.Accepted)).Id;
    }

    private async Task<(string Callback, string Call)> CallPlacedAsync(string id)
    {
        var create = await WaitForAsync(r => r.PathAndQuery.StartsWith("/calling/callConnections?", StringComparison.Ordinal)
            && r.Json().GetProperty("callbackUri").GetString()!.Contains(id, StringComparison.Ordinal));
        Assert.Null(create.Rejection);
        await DeliveryAsync(id, "sent");
        return (new Uri(create.Json().GetProperty("callbackUri").GetString()!).PathAndQuery[1..], create.Header("Repeatability-Request-ID")!);
    }

    private async Task PostAsync(string callback, string type, string call)
    {
        using var answer = await Host.Client.PostAsync(callback, Events(type, call));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    private Task<DeliveryAnswer> DeliveryAsync(string id, string status) => Eventually.GetAsync(
        async () => (await Host.Client.GetFromJsonAsync<StatusAnswer>($"api/otp/{id}"))!.Delivery,
        delivery => delivery.Status == status,
        delivery => $"delivery status is {delivery.Status}",
        Patience);

    private async Task<FakeAcsRequest> WaitForAsync(Func<FakeAcsRequest, bool> match) =>
        (await Eventually.GetAsync(() => Task.FromResult(fixture.Acs.Requests.FirstOrDefault(match)), found => found is not null, _ => "no such request reached the fake ACS", Patience))!;
}
