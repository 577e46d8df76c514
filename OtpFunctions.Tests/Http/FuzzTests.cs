using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Http;

/// <summary>
/// Thousands of malformed requests at every route: none may answer 5xx, and none may change a row
/// (no attempt counted, no send counted, nothing created).
/// </summary>
public sealed class FuzzTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const int Requests = 3000;
    private static readonly string[] Junk =
    [
        "", " ", "null", "0", "-1", "1e309", "true", "[]", "{}", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "\"\"", "\"\\u0000\"",
        "{\"channel\":", "{\"channel\":null}", "{\"channel\":[\"sms\"]}", "{\"channel\":{\"a\":1}}", "{\"channel\":\"SMS\",\"to\":\"+14155550100\"}",
        "{\"channel\":\"sms\",\"to\":null}", "{\"channel\":\"sms\",\"to\":\"\"}", "{\"channel\":\"sms\",\"to\":\"+\"}", "{\"channel\":\"sms\",\"to\":\"+1 (415) 555-0100\"}",
        "{\"channel\":\"sms\",\"to\":\"+0000000000\"}", "{\"channel\":\"email\",\"to\":\"@\"}", "{\"channel\":\"email\",\"to\":\"a@b@c.com\"}",
        "{\"channel\":\"email\",\"to\":\"<script>@x.com\"}", "{\"channel\":\"email\",\"to\":\"ada@example.com\",\"purpose\":\"../../etc\"}",
        "{\"channel\":\"sms\",\"to\":\"+14155550100\",\"purpose\":\"" + new string('a', 40) + "\"}", "{\"code\":\"12345\"}", "{\"code\":\"1234567\"}",
        "{\"code\":\"12 456\"}", "{\"code\":\"١٢٣٤٥٦\"}", "{\"code\":[1,2,3,4,5,6]}", "{\"code\":1.5}", "{\"code\":\"-12345\"}", "{\"code\":\"+12345\"}",
        "\u00ff\u00fe\u0000", "{\"channel\":\"sms\",\"to\":\"\\ud800\"}", "{\"code\":\"\\udfff\"}", "{\"channel\":\"sms\",\"to\":\"+14155550100\",\"purpose\":\"login\\n\"}", "{\"a\":\"" + new string('x', 5000) + "\"}", "<xml/>", "channel=sms&to=%2B14155550100",
    ];

    private OtpHost Host => fixture.Host;

    [Fact]
    public async Task NeverFailsAndChangesNothingGivenMalformedRequests()
    {
        var id = await Host.SendAsync(Destinations.Phone());
        await Host.Delivery.WaitForCodeAsync(id);
        await Host.WaitForQueueDrainedAsync();
        var before = await SnapshotAsync();
        var random = new Random(20261125);
        var requests = Enumerable.Range(0, Requests).Select(_ => NextRequest(random, id)).ToList();

        var failures = new List<string>();
        foreach (var batch in requests.Chunk(16))
        {
            var responses = await Task.WhenAll(batch.Select(async request =>
            {
                var description = $"{request.Method} {request.RequestUri}";
                using var response = await Host.Client.SendAsync(request);
                return (description, response.StatusCode);
            }));
            failures.AddRange(responses.Where(r => (int)r.StatusCode >= 500).Select(r => $"{r.description} -> {(int)r.StatusCode}"));
        }

        Assert.Empty(failures);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(5, (await Host.StatusAsync(id)).AttemptsLeft);
    }

    private static HttpRequestMessage NextRequest(Random random, string knownId)
    {
        var id = random.Next(4) switch
        {
            0 => knownId,
            1 => RandomText(random, random.Next(0, 60)),
            2 => knownId[..^1] + "!",
            _ => Uri.EscapeDataString(RandomText(random, 44)),
        };
        var (method, path) = random.Next(9) switch
        {
            0 => (HttpMethod.Post, "otp"),
            1 => (HttpMethod.Post, $"otp/{id}/resend"),
            2 or 3 => (HttpMethod.Post, $"otp/{id}/verify"),
            4 => (HttpMethod.Get, $"otp/{id}"),
            5 => (HttpMethod.Delete, $"otp/{Uri.EscapeDataString(RandomText(random, 44))}"),
            6 => (HttpMethod.Get, "session"),
            7 => (HttpMethod.Delete, "session"),
            _ => (HttpMethod.Post, "events/delivery"),
        };

        // Resend of the known challenge is a real send: only malformed ids go there.
        if (path.EndsWith("/resend", StringComparison.Ordinal) && id == knownId)
        {
            path = "otp/" + knownId + "x/resend";
        }

        var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            var body = random.Next(3) == 0 ? RandomText(random, random.Next(0, 300)) : Junk[random.Next(Junk.Length)];
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = random.Next(4) switch
            {
                0 => null,
                1 => new MediaTypeHeaderValue("text/plain"),
                _ => new MediaTypeHeaderValue("application/json"),
            };
        }

        if (random.Next(3) == 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", random.Next(2) == 0 ? "Bearer " + RandomAscii(random, random.Next(0, 200)) : RandomAscii(random, 20));
        }

        if (random.Next(3) == 0)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", random.Next(2) == 0 ? RandomAscii(random, 30) : "1.2.3.4, ::ffff:10.0.0.1, not-an-ip");
        }

        if (random.Next(4) == 0)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", RandomAscii(random, random.Next(0, 400)));
        }

        if (random.Next(4) == 0)
        {
            request.Headers.TryAddWithoutValidation("aeg-event-type", random.Next(2) == 0 ? "Notification" : RandomAscii(random, 10));
        }

        return request;
    }

    private static string RandomText(Random random, int length)
    {
        const string alphabet = "abcXYZ0123456789-_.~!*'();:@&=+$,/?%#[]{}\"\\ \u00e9\u4e2d\U0001F600";
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }

    // Header values travel as ASCII: the client refuses anything else before it is sent.
    private static string RandomAscii(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => (char)random.Next(0x20, 0x7f)).ToArray());

    private async Task<string> SnapshotAsync()
    {
        var rows = new List<string>();
        await foreach (var row in Host.Storage.Table.QueryAsync<TableEntity>())
        {
            rows.Add($"{row.PartitionKey}/{row.RowKey}/{row.ETag}");
        }

        rows.Sort(StringComparer.Ordinal);
        return string.Join('\n', rows);
    }
}
