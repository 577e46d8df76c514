using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.RealHost;

/// <summary>
/// The real host as Azure runs it: Production settings, ACS delivery (a loopback fake that checks signatures).
/// The app's own lines reach the console, and no full phone number, email or code does.
/// </summary>
public sealed class RealHostProductionTests : IAsyncLifetime
{
    private readonly FakeAcsServer acs = new();
    private RealFunctionsHost host = null!;

    public async Task InitializeAsync()
    {
        await acs.StartAsync();
        var settings = RealHostSettings.Production("realprod", acs);
        settings["Otp:Delivery:Email:Provider"] = "Acs";
        settings["Otp:Delivery:Email:ConnectionString"] = acs.ConnectionString;
        settings["Otp:Delivery:Email:From"] = "DoNotReply@example.com";
        host = await RealFunctionsHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await acs.DisposeAsync();
    }

    [Fact]
    public async Task DeliversThroughAcsAndKeepsDestinationsAndCodesOutOfTheConsole()
    {
        const string phone = "+14155550173";
        const string email = "ada.lovelace.realhost@example.com";
        using var sms = await host.Client.PostAsJsonAsync("api/otp", new { channel = "sms", to = phone });
        using var mail = await host.Client.PostAsJsonAsync("api/otp", new { channel = "email", to = email });
        var smsId = (await Contract.ReadAsync<SendAnswer>(sms, HttpStatusCode.Accepted)).Id;
        var smsCode = await CodeSentAsync("/sms");
        var emailCode = await CodeSentAsync("/emails");
        using var verify = await host.Client.PostAsJsonAsync($"api/otp/{smsId}/verify", new { code = smsCode });
        await host.WaitForConsoleAsync(@"Executed 'Functions\.VerifyCode'", RealFunctionsHost.Patience);

        var console = host.Console;
        Assert.Equal(HttpStatusCode.Accepted, mail.StatusCode);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Matches(new Regex(@"Function\.SendCode\.User.*\n.*\+1415\*+73"), console);
        Assert.DoesNotContain(phone[1..], console, StringComparison.Ordinal);
        Assert.DoesNotContain(email, console, StringComparison.OrdinalIgnoreCase);
        RealFunctionsHost.AssertNoCode(smsCode, console);
        RealFunctionsHost.AssertNoCode(emailCode, console);
    }

    private async Task<string> CodeSentAsync(string pathPrefix)
    {
        var request = await Eventually.GetAsync(
            () => Task.FromResult(acs.Requests.FirstOrDefault(r => r.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal) && r.AnsweredStatus == 202)),
            sent => sent is not null,
            _ => $"no {pathPrefix} request reached the fake ACS. Console:\n{host.Console[^Math.Min(host.Console.Length, 4000)..]}",
            RealFunctionsHost.Patience);
        return Regex.Match(request!.Body, @"\b(\d{6})\b").Groups[1].Value;
    }
}
