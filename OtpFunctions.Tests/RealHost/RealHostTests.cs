using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.RealHost;

/// <summary>
/// The README's first flow under the real Azure Functions host: what the local host cannot prove
/// (indexing, the worker channel, host keys, the timer, the console a developer reads).
/// </summary>
[Collection(RealHostGroup.Name)]
public sealed class RealHostTests(RealHostFixture fixture)
{
    private static readonly TimeSpan Patience = RealFunctionsHost.Patience;

    private RealFunctionsHost Host => fixture.Host;

    [Fact]
    public async Task IndexesExactlyTheFunctionsInFunctionsMetadata()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/functions");
        request.Headers.Add("x-functions-key", RealFunctionsHost.Key);
        using var response = await Host.Client.SendAsync(request);

        var indexed = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order().ToArray();
        using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RealFunctionsHost.AppDirectory, "functions.metadata")));
        var declared = metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order().ToArray();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Superset(new HashSet<string>(["SendCode", "VerifyCode", "DeliverCode", "SweepExpired", "DeliveryEvents"]), declared.ToHashSet());
        Assert.Equal(declared, indexed);
    }

    [Fact]
    public async Task EmailsEntrasCodeAndAnswersTheDocumentedContinueUnderTheRealHost()
    {
        var tenant = fixture.EntraTenant;
        using var refused = new HttpRequestMessage(HttpMethod.Post, "api/entra/otp-send") { Content = new StringContent(tenant.Event("rh-entra@example.com", "86420975"), System.Text.Encoding.UTF8, "application/json") };
        refused.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tenant.Token(audience: Guid.NewGuid().ToString()));
        using var refusedResponse = await Host.Client.SendAsync(refused);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedResponse.StatusCode);

        // No function key: the route is Anonymous at the host, and Entra's bearer token is what opens it.
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/entra/otp-send") { Content = new StringContent(tenant.Event("rh-entra@example.com", "86420975"), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tenant.Token());
        using var response = await Host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"entra/otp-send answered {(int)response.StatusCode}: {body}");
        Assert.Equal("""{"data":{"@odata.type":"microsoft.graph.OnOtpSendResponseData","actions":[{"@odata.type":"microsoft.graph.OtpSend.continueWithDefaultBehavior"}]}}""", body);
        await Host.WaitForConsoleAsync(@"Development delivery via the log: Email to r\*\*\*@example\.com: Use this code to sign in[^\n]*", Patience);
    }

    [Fact]
    public async Task TextsSupabasesCodeAndAnswersEmptyObjectUnderTheRealHost()
    {
        // Supabase stores numbers without the +; the signature, not a function key, opens the route.
        // A number of its own: the console is the fixture's, shared by the collection, and a test that reads "the" code
        // sent to a number would otherwise read this one whenever this test ran first.
        var payload = SupabaseHook.SmsPayload("14155550175", otp: "482913");
        using var refused = SupabaseHook.Request("api/hooks/supabase/send-sms", payload, secrets: SupabaseHook.NewSecret());
        using var refusedResponse = await Host.Client.SendAsync(refused);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedResponse.StatusCode);

        using var request = SupabaseHook.Request("api/hooks/supabase/send-sms", payload, secrets: fixture.SupabaseSecret);
        using var response = await Host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"hooks/supabase/send-sms answered {(int)response.StatusCode}: {body}");
        Assert.Equal("{}", body);
        await Host.WaitForConsoleAsync(@"Development delivery via the log: Sms to \+1415\*+75: 482913 is your [^\n]* code\. Do not share it\.", Patience);
    }

    [Fact]
    public async Task SendsDeliversVerifiesAndRevokesWithCodeFromHostConsole()
    {
        const string phone = "+14155550171";
        using var send = await Host.Client.PostAsJsonAsync("api/otp", new { channel = "sms", to = phone });
        var id = (await Contract.ReadAsync<SendAnswer>(send, HttpStatusCode.Accepted)).Id;

        // The queue trigger ran in the worker and its Development line reached the host's console.
        var code = (await Host.WaitForConsoleAsync(@"Development delivery via the log: Sms to \+1415\*\*\*\*\*71: (\d{6}) is your", Patience)).Groups[1].Value;
        // The status row is written just after the provider (here the log) accepted the message.
        var delivery = await Eventually.GetAsync(
            async () => (await Host.Client.GetFromJsonAsync<StatusAnswer>($"api/otp/{id}"))!.Delivery.Status,
            status => status == "sent",
            status => $"delivery status is {status}",
            Patience);

        using var verify = await Host.Client.PostAsJsonAsync($"api/otp/{id}/verify", new { code });
        var token = (await Contract.ReadAsync<ApprovedAnswer>(verify, HttpStatusCode.OK)).Session.Token;
        using var session = await SessionAsync(HttpMethod.Get, token);
        using var revoke = await SessionAsync(HttpMethod.Delete, token);
        using var afterRevoke = await SessionAsync(HttpMethod.Get, token);

        Assert.Equal("sent", delivery);
        Assert.Equal("+1415*****71", (await Contract.ReadAsync<SessionAnswer>(session, HttpStatusCode.OK)).Subject);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task RefusesDeliveryEventsWithoutFunctionKeyAndAnswersHandshakeWithIt()
    {
        const string handshake = """[{"id":"1","topic":"t","subject":"s","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-11-26T00:00:00Z","dataVersion":"1","data":{"validationCode":"real-host-check"}}]""";

        using var withoutKey = await Host.Client.PostAsync("api/events/delivery", Json(handshake));
        using var withKey = new HttpRequestMessage(HttpMethod.Post, "api/events/delivery") { Content = Json(handshake) };
        withKey.Headers.Add("x-functions-key", RealFunctionsHost.Key);
        withKey.Headers.Add("aeg-event-type", "SubscriptionValidation");
        using var answered = await Host.Client.SendAsync(withKey);
        using var queryKey = new HttpRequestMessage(HttpMethod.Post, $"api/events/delivery?code={RealFunctionsHost.Key}") { Content = Json(handshake) };
        queryKey.Headers.Add("aeg-event-type", "SubscriptionValidation");
        using var withQueryKey = await Host.Client.SendAsync(queryKey);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        // The host answers before the app runs: no body, as the OpenAPI document's 401 for this route says.
        Assert.Empty(await withoutKey.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("real-host-check", (await answered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("validationResponse").GetString());
        Assert.Equal(HttpStatusCode.OK, withQueryKey.StatusCode);
    }

    [Fact]
    public async Task GuardsTheFraudRoutesWithTheFunctionKeyAndRoutesThePrefixWithOrWithoutItsPlus()
    {
        using var withoutKey = await Host.Client.GetAsync("api/fraud/blocks");
        using var list = new HttpRequestMessage(HttpMethod.Get, "api/fraud/blocks") { Headers = { { "x-functions-key", RealFunctionsHost.Key } } };
        using var listed = await Host.Client.SendAsync(list);
        var lifts = new List<HttpResponseMessage>();
        foreach (var prefix in new[] { "%2B234803", "+234803", "234803" })
        {
            using var lift = new HttpRequestMessage(HttpMethod.Delete, $"api/fraud/blocks/{prefix}") { Headers = { { "x-functions-key", RealFunctionsHost.Key } } };
            lifts.Add(await Host.Client.SendAsync(lift));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal("""{"blocks":[]}""", await listed.Content.ReadAsStringAsync());

        // The app's own 404 (an error body naming the prefix), not the host's for a route it did not match.
        foreach (var lifted in lifts)
        {
            Assert.Equal(HttpStatusCode.NotFound, lifted.StatusCode);
            Assert.Contains("+234803 is not blocked", await lifted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            lifted.Dispose();
        }
    }

    [Fact]
    public async Task FiresTheSweepTimerOnItsSchedule()
    {
        var ran = await Host.WaitForConsoleAsync(@"Executed 'Functions\.SweepExpired' \((\w+)", Patience);

        Assert.Equal("Succeeded", ran.Groups[1].Value);
    }

    [Fact]
    public async Task KeepsFullDestinationsAndCodesOutOfTheConsoleButTheDevelopmentDeliveryLine()
    {
        const string phone = "+14155550172";
        const string email = "grace.hopper.realhost@example.com";
        using var sms = await Host.Client.PostAsJsonAsync("api/otp", new { channel = "sms", to = phone });
        using var mail = await Host.Client.PostAsJsonAsync("api/otp", new { channel = "email", to = email });
        var smsCode = (await Host.WaitForConsoleAsync(@"Sms to \+1415\*\*\*\*\*72: (\d{6}) ", Patience)).Groups[1].Value;
        var emailCode = (await Host.WaitForConsoleAsync(@"(?s)Email to g\*+@example\.com: .*?(\d{6})", Patience)).Groups[1].Value;
        var smsId = (await Contract.ReadAsync<SendAnswer>(sms, HttpStatusCode.Accepted)).Id;
        using var wrong = await Host.Client.PostAsJsonAsync($"api/otp/{smsId}/verify", new { code = smsCode == "000000" ? "000001" : "000000" });

        // The Development delivery line exists to show the code; every other line must not.
        var entries = Regex.Split(Host.Console, @"^(?=(?:trce|dbug|info|warn|fail|crit): )", RegexOptions.Multiline);
        var others = string.Join('\n', entries.Where(entry => !entry.Contains("Development delivery via the log", StringComparison.Ordinal)));
        Assert.Contains(entries, entry => entry.Contains(emailCode, StringComparison.Ordinal));
        // Positive control: the split found the app's other lines, and they do name the destination, masked. Were the
        // console format to change, "others" would be empty and every DoesNotContain below would pass for nothing.
        Assert.Contains("+1415*****72", others, StringComparison.Ordinal);
        Assert.Contains(entries, entry => entry.StartsWith("info: Function.SendCode", StringComparison.Ordinal) && !entry.Contains("Development delivery", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Accepted, mail.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.DoesNotContain(phone, others, StringComparison.Ordinal);
        Assert.DoesNotContain(phone[1..], others, StringComparison.Ordinal);
        Assert.DoesNotContain(email, others, StringComparison.OrdinalIgnoreCase);
        RealFunctionsHost.AssertNoCode(smsCode, others);
        RealFunctionsHost.AssertNoCode(emailCode, others);
    }

    [Fact]
    public async Task LogsAzureSdkRequestsOnlyAtWarning()
    {
        await Host.WaitForConsoleAsync(@"Executed 'Functions\.SweepExpired'", Patience);

        // Positive control: information lines do reach the console in the "info: <category>" shape the check reads,
        // so their absence for Azure.Core means something (a changed format would otherwise pass it).
        Assert.Matches(new Regex(@"^info: Function\.SweepExpired", RegexOptions.Multiline), Host.Console);
        Assert.DoesNotMatch(new Regex(@"^info: Azure\.Core", RegexOptions.Multiline), Host.Console);
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> SessionAsync(HttpMethod method, string? token)
    {
        var request = new HttpRequestMessage(method, "api/session");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Host.Client.SendAsync(request);
    }
}
