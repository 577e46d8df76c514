using Azure.Data.Tables;
using OtpFunctions.Challenges;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

/// <summary>
/// The allow-list is checked again at delivery, for codes queued before a country was taken off it. A challenge row
/// without a calling code (written before rows kept one) is judged by the number it delivers to, not waved through.
/// </summary>
public sealed class DeliveryServiceCountryTests
{
    [Fact]
    public async Task JudgesARowWithoutACallingCodeByTheNumberItself()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Otp:Storage:Table"] = "otp" + Guid.NewGuid().ToString("N")[..12],
            ["OTP_DELIVERY_QUEUE"] = "otp-delivery-" + Guid.NewGuid().ToString("N")[..12],
            ["Otp:Secrets:Pepper"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Otp:Secrets:EncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Otp:Secrets:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        string ukId, usId;
        await using (var before = await OtpHost.StartAsync(new Dictionary<string, string?>(settings) { ["Otp:Sms:AllowedCountryCodes"] = "1,44" }, listenToQueue: false))
        {
            ukId = await before.SendAsync("+4479" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture));
            usId = await before.SendAsync(Destinations.Phone());
            await ForgetCallingCodeAsync(before.Storage.Table, ukId);
            await ForgetCallingCodeAsync(before.Storage.Table, usId);
            before.KeepStorage = true;
        }

        await using var after = await OtpHost.StartAsync(new Dictionary<string, string?>(settings) { ["Otp:Sms:AllowedCountryCodes"] = "1" });
        await after.WaitForQueueDrainedAsync();

        var uk = (await after.StatusAsync(ukId)).Delivery;
        Assert.Equal("failed", uk.Status);
        Assert.Contains("+44 is not enabled", uk.Error, StringComparison.Ordinal);
        // Positive control: the same kind of row to an allowed country is delivered.
        Assert.Single(after.Delivery.Requests);
        Assert.Equal(usId, after.Delivery.Requests.Single().ChallengeId);
    }

    private static async Task ForgetCallingCodeAsync(TableClient table, string id)
    {
        Assert.True(ChallengeId.TryParse(id, out var challenge));
        var row = (await table.GetEntityAsync<TableEntity>(challenge.PartitionKey, challenge.RowKey)).Value;
        Assert.True(row.Remove(nameof(Challenge.CallingCode)));
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
    }
}
