using System.Net;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Challenges;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Sending;

/// <summary>
/// A budget that cannot be read is a budget that cannot be honoured: the send is refused with 503 and nothing goes
/// out, even though the destination's own rows answer. (A total outage is StorageOutageTests; this is one part down.)
/// </summary>
public sealed class SendBudgetsOutageTests
{
    [Fact]
    public async Task RefusesWithUnavailableAndSendsNothingGivenBudgetReadFailsWhileTheDestinationAnswers()
    {
        var faults = new StorageFaults();
        await using var host = await OtpHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Otp:MaxSendsGlobal"] = "1000",
                ["Otp:Sms:MaxSendsPerCountryCode"] = "1000",
                ["Otp:MaxSendsPerIp"] = "1000",
                // The fraud guard reads its own partition on a phone send: failing too, it would refuse the send
                // and hide budgets that fail open. This test is about the budgets alone.
                ["Otp:FraudGuard:Mode"] = "Off",
            },
            services: services => services.AddSingleton<HttpPipelinePolicy>(faults));
        var to = Destinations.Phone();
        var first = await host.SendForAnswerAsync(to);
        Assert.True(ChallengeId.TryParse(first.Id, out var challenge));
        await host.Delivery.WaitForCodeAsync(first.Id);

        // Everything in the destination's partition answers; every other table request (the budgets) fails.
        faults.Fail = request => StorageFaults.OutsidePartition(request, host.Table, challenge.PartitionKey);
        using var refused = await host.Client.PostAsync("otp", System.Net.Http.Json.JsonContent.Create(new { channel = "sms", to }));
        faults.Fail = null;

        var error = await Contract.AssertErrorAsync(refused, HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(error.RetryAfter, (int)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
        Assert.True(faults.Failed > 0, "no budget request was failed: the test no longer reaches the budgets");
        await host.WaitForQueueDrainedAsync();
        Assert.Single(host.Delivery.Requests);
        // The refused send neither went out nor superseded the first code, which still verifies.
        Assert.Equal("pending", (await host.StatusAsync(first.Id)).Status);
        await host.ApproveAsync(first.Id, await host.Delivery.WaitForCodeAsync(first.Id));
    }
}
