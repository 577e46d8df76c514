using System.Text;
using Azure.Data.Tables;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Storage;

/// <summary>Reads what an operator with storage access would see: no code and no destination in clear.</summary>
public sealed class StoredDataTests : IAsyncLifetime
{
    private OtpHost host = null!;

    public async Task InitializeAsync() => host = await OtpHost.StartAsync(listenToQueue: false);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task KeepsNoPlaintextCodeOrDestinationInRowsOrMessages()
    {
        const string phone = "+14155550123";
        const string email = "grace.hopper@example.com";
        var smsId = await host.SendAsync(phone);
        var emailId = await host.SendAsync(email, channel: "email");
        var codes = await ReadCodesThroughTheServiceAsync();

        var rows = new List<string>();
        await foreach (var row in host.Storage.Table.QueryAsync<TableEntity>())
        {
            rows.Add(string.Join('|', row.Select(pair => $"{pair.Key}={pair.Value}")));
        }

        var messages = (await host.Storage.Queue.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList();

        Assert.Contains(rows, r => r.Contains(smsId[22..], StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains(emailId[22..], StringComparison.Ordinal));
        Assert.Equal(2, messages.Count);
        Assert.Equal(2, codes.Count);
        foreach (var text in rows.Concat(messages).Concat(messages.Select(Base64Decoded)))
        {
            Assert.DoesNotContain(phone, text, StringComparison.Ordinal);
            Assert.DoesNotContain(phone[1..], text, StringComparison.Ordinal);
            Assert.DoesNotContain(email, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("grace.hopper", text, StringComparison.OrdinalIgnoreCase);
            foreach (var code in codes)
            {
                Assert.DoesNotContain(code, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task StoresOnlyDatesAzureTableAccepts()
    {
        // Azurite takes any date; Azure Table refuses those before 1601 with 400, so none may be written.
        var id = await host.SendAsync(Destinations.Email(), channel: "email");
        var code = (await ReadCodesThroughTheServiceAsync()).Last();
        (await host.VerifyAsync(id, Contract.WrongCode(code))).Dispose();
        (await host.VerifyAsync(id, code)).Dispose();
        await host.SendAsync(Destinations.Phone(), clientIp: Destinations.Ip());

        var earliest = new DateTimeOffset(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var dated = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in host.Storage.Table.QueryAsync<TableEntity>())
        {
            foreach (var (name, value) in row)
            {
                if (value is DateTimeOffset date && name != "Timestamp")
                {
                    dated.Add(name);
                    Assert.True(date >= earliest, $"{row.PartitionKey}/{row.RowKey}.{name} = {date:O}");
                }
            }
        }

        // Not vacuous: the rows the service writes carry its own dates (Timestamp is the table's, not ours).
        Assert.Contains("ExpiresAt", dated);
        Assert.Contains("PurgeAt", dated);
    }

    private async Task<List<string>> ReadCodesThroughTheServiceAsync()
    {
        // Decrypt the queued envelopes with the service's own protector: the only place a code exists.
        var protector = (OtpFunctions.Delivery.DeliveryProtector)host.Services.GetService(typeof(OtpFunctions.Delivery.DeliveryProtector))!;
        var codes = new List<string>();
        foreach (var message in (await host.Storage.Queue.PeekMessagesAsync(32)).Value)
        {
            Assert.True(OtpFunctions.Delivery.DeliveryProtector.TryParse(message.Body.ToString(), out var envelope));
            Assert.True(protector.TryOpen(envelope!, out var secret));
            codes.Add(secret!.Code);
        }

        return codes;
    }

    private static string Base64Decoded(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return string.Empty;
        }
    }
}
