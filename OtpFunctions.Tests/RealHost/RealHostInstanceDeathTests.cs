using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.RealHost;

/// <summary>
/// An instance dying mid-step, as Flex recycles and scales in instances while they work: the worker is killed
/// (SIGKILL) under the real host while sends are being answered and deliveries are at the provider. Every accepted
/// code still reaches the provider, once (its repeatability id makes a retried hand-off one SMS), and a client that
/// retries its send with the same Idempotency-Key gets the first answer. docs/deploy.md says what users see.
/// </summary>
public sealed class RealHostInstanceDeathTests : IAsyncLifetime
{
    private const int Users = 30;

    private readonly FakeAcsServer acs = new();
    private RealFunctionsHost host = null!;

    public async Task InitializeAsync()
    {
        await acs.StartAsync();
        var settings = RealHostSettings.Production("realdeath", acs);
        settings["Otp:Delivery:Email:Provider"] = "None";
        host = await RealFunctionsHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await acs.DisposeAsync();
    }

    [Fact]
    public async Task KillingTheWorkerMidFlightDeliversEveryAcceptedCodeOnceAndAnswersRetriesWithTheFirstAnswer()
    {
        var answers = await SendWhileTheWorkerDiesAsync();

        // The host starts a new worker; a retry now must find each key's first answer in storage.
        foreach (var answer in answers)
        {
            using var retry = await SendAsync(answer.User, answer.Key);
            var again = await Contract.ReadAsync<SendAnswer>(retry, HttpStatusCode.Accepted);
            Assert.Equal(answer.Id, again.Id);
        }

        var handOffs = await AllDeliveredAsync(answers);
        foreach (var answer in answers)
        {
            // Retried hand-offs of one code carry one repeatability id (the provider sends one SMS) and one code. A
            // second code reaches the phone only when the kill caught this user's send after its code was queued but
            // before its answer was stored: the claim's lease lapses and the retry sends afresh (superseding it).
            var mine = handOffs.Where(h => h.To == Phone(answer.User)).GroupBy(h => h.RepeatabilityId).ToList();
            Assert.All(mine, handOff => Assert.Single(handOff.Select(h => h.Code).Distinct()));
            Assert.InRange(mine.Count, 1, 2 + answer.OrphanedKeys);
            var codes = mine.Select(handOff => handOff.First().Code).ToList();
            var verified = false;
            foreach (var code in codes)
            {
                using var verify = await host.Client.PostAsJsonAsync($"api/otp/{answer.Id}/verify", new { code });
                verified |= verify.StatusCode == HttpStatusCode.OK;
            }

            Assert.True(verified, $"user {answer.User}: no delivered code verifies challenge {answer.Id}");
        }

        Assert.True(answers.Any(a => a.Failures > 0) || handOffs.Count > Users, "the kill hit neither a send nor a hand-off: nothing was tested");
    }

    [Fact]
    public async Task ARetryWithTheKeyOfASendKilledMidFlightIsAnsweredWithinAMinute()
    {
        var answers = await SendWhileTheWorkerDiesAsync();

        Assert.DoesNotContain(answers, a => a.OrphanedKeys > 0);
    }

    private async Task<Accepted[]> SendWhileTheWorkerDiesAsync()
    {
        // A slow provider keeps hand-offs in flight when the worker dies.
        acs.RespondWith([.. Enumerable.Repeat(FakeAcsResponse.Slow(TimeSpan.FromMilliseconds(400)), Users * 4)]);
        var clients = Enumerable.Range(0, Users).Select(user => SendUntilAcceptedAsync(user, TimeSpan.FromMilliseconds(60 * user))).ToArray();
        await Eventually.GetAsync(
            () => Task.FromResult(acs.Requests.Count),
            count => count >= 3,
            count => $"only {count} hand-offs reached the provider before the kill",
            RealFunctionsHost.Patience);
        var killed = host.KillWorker();
        var answers = await Task.WhenAll(clients);
        await Eventually.TrueAsync(
            () => host.WorkerProcessIds() is [var worker] && worker != killed,
            $"the host did not replace the killed worker {killed}: workers now {string.Join(", ", host.WorkerProcessIds())}",
            RealFunctionsHost.Patience);
        return answers;
    }

    private static string Phone(int user) => $"+141555501{user:00}";

    private Task<HttpResponseMessage> SendAsync(int user, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/otp") { Content = JsonContent.Create(new { channel = "sms", to = Phone(user) }) };
        request.Headers.Add("Idempotency-Key", key);
        return host.Client.SendAsync(request);
    }

    /// <summary>Sends as a careful client does: the same Idempotency-Key again after a 5xx or a broken connection.</summary>
    private async Task<Accepted> SendUntilAcceptedAsync(int user, TimeSpan startAfter)
    {
        await Task.Delay(startAfter);
        var key = Guid.NewGuid().ToString("N");
        var (failures, orphanedKeys) = (0, 0);
        var deadline = Stopwatch.StartNew();
        var sinceKey = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            try
            {
                using var response = await SendAsync(user, key);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return new Accepted(user, key, (await Contract.ReadAsync<SendAnswer>(response, HttpStatusCode.Accepted)).Id, failures, orphanedKeys);
                }

                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.TooManyRequests && body.Contains("still in progress", StringComparison.Ordinal) && sinceKey.Elapsed > TimeSpan.FromSeconds(45))
                {
                    // The request that claimed this key died with the worker: give up on the key, as a user pressing "send" again would.
                    (key, orphanedKeys) = (Guid.NewGuid().ToString("N"), orphanedKeys + 1);
                    sinceKey.Restart();
                }
                else
                {
                    Assert.True((int)response.StatusCode >= 500 || body.Contains("still in progress", StringComparison.Ordinal), $"user {user}: {(int)response.StatusCode} {body}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // The connection died with the worker: the same key again.
            }

            failures++;
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        throw new TimeoutException($"user {user} got no 202 in three minutes");
    }

    private async Task<IReadOnlyList<HandOff>> AllDeliveredAsync(IReadOnlyList<Accepted> answers) =>
        await Eventually.GetAsync(
            () => Task.FromResult(HandOffs()),
            handOffs => answers.All(a => handOffs.Any(h => h.To == Phone(a.User))),
            handOffs => $"{answers.Count(a => !handOffs.Any(h => h.To == Phone(a.User)))} accepted codes never reached the provider. Console:\n{host.Console[^Math.Min(host.Console.Length, 5000)..]}",
            TimeSpan.FromMinutes(3));

    private IReadOnlyList<HandOff> HandOffs() =>
        [.. acs.Requests
            .Where(r => r.PathAndQuery.StartsWith("/sms", StringComparison.Ordinal) && r.AnsweredStatus == 202)
            .Select(r => r.Json())
            .Select(body => (Body: body, Recipient: body.GetProperty("smsRecipients")[0]))
            .Select(b => new HandOff(
                b.Recipient.GetProperty("to").GetString()!,
                b.Recipient.GetProperty("repeatabilityRequestId").GetString()!,
                Regex.Match(b.Body.GetProperty("message").GetString()!, @"\b(\d{6})\b").Groups[1].Value))];

    private sealed record Accepted(int User, string Key, string Id, int Failures, int OrphanedKeys);

    private sealed record HandOff(string To, string RepeatabilityId, string Code);
}
