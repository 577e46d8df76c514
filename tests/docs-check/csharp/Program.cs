// Runs the C# snippets of docs/ as their readers would use them (scripts/docs-check compiles each into this project,
// named by its marker): the webhook receiver takes a signed event and refuses a tampered one, the JwtBearer API
// refuses a request without a token, the HttpClient client sends and shows a wrong code's attempts left, and the .NET
// client's README runs its whole flow and registers the client.
using System.Security.Cryptography;
using System.Text;
using StandardWebhooks;

var failures = new List<string>();
await Check("docs/webhooks.md WebhookReceiver", WebhookReceiverAsync);
await Check("docs/clients.md OrdersApi", OrdersApiAsync);
await Check("docs/clients.md UsingTheClient", UsingTheClientAsync);
await Check("clients/dotnet/OtpFunctions.Client/README.md ClientReadmeFlow", ClientReadmeFlowAsync);
await Check("clients/dotnet/OtpFunctions.Client/README.md ClientReadmeWeb", ClientReadmeWebAsync);
if (failures.Count > 0)
{
    Console.Error.WriteLine(string.Join(Environment.NewLine, failures));
    return 1;
}

return 0;

async Task Check(string name, Func<Task<string?>> scenario)
{
    try
    {
        var failure = await scenario();
        Console.WriteLine(failure is null ? $"ran {name}" : $"FAILED {name}: {failure}");
        if (failure is not null)
        {
            failures.Add($"{name}: {failure}");
        }
    }
    catch (Exception exception)
    {
        failures.Add($"{name}: {exception}");
    }
}

static async Task<string?> WebhookReceiverAsync()
{
    var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    await using var app = WebhookReceiver.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--OtpWebhookSecret", secret]);
    await app.StartAsync();
    using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    var body = """{"type":"verification.approved","timestamp":"2026-12-06T10:00:00Z","data":{"id":"chal_1","channel":"sms","to":"+1415*****00","purpose":"login"}}""";
    var signed = await PostAsync(http, secret, body, body);
    var tampered = await PostAsync(http, secret, body, body.Replace("approved", "locked", StringComparison.Ordinal));
    await app.StopAsync();
    return (signed, tampered) == (204, 401) ? null : $"signed answered {signed} (want 204), tampered {tampered} (want 401)";
}

static async Task<int> PostAsync(HttpClient http, string secret, string signedBody, string sentBody)
{
    var at = DateTimeOffset.UtcNow;
    using var request = new HttpRequestMessage(HttpMethod.Post, "hooks/otp") { Content = new StringContent(sentBody, Encoding.UTF8, "application/json") };
    request.Headers.Add("webhook-id", "msg_1");
    request.Headers.Add("webhook-timestamp", at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
    request.Headers.Add("webhook-signature", new StandardWebhook(secret).Sign("msg_1", at, signedBody));
    using var response = await http.SendAsync(request);
    return (int)response.StatusCode;
}

static async Task<string?> OrdersApiAsync()
{
    // Without a token the handler answers before it needs the discovery document, so no network is involved.
    await using var app = OrdersApi.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"]);
    await app.StartAsync();
    using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    using var response = await http.GetAsync("orders");
    await app.StopAsync();
    return (int)response.StatusCode == 401 ? null : $"GET /orders without a token answered {(int)response.StatusCode}, want 401";
}

static async Task<string?> UsingTheClientAsync()
{
    // A stand-in for the service, answering as docs/api.md says: a send is accepted, the code typed is wrong.
    var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"]);
    await using var service = builder.Build();
    var keys = new List<string>();
    service.MapPost("/api/otp", (HttpRequest request) =>
    {
        keys.Add(request.Headers["Idempotency-Key"].ToString());
        return Results.Json(new { id = "chal_1", channel = "email", to = "a***@example.com", status = "pending", expiresAt = DateTimeOffset.UtcNow.AddMinutes(10), resendAfter = DateTimeOffset.UtcNow.AddSeconds(30), attemptsLeft = 5, sendsLeft = 4 }, statusCode: 202);
    });
    service.MapPost("/api/otp/{id}/verify", () => Results.Json(new { error = "invalid_code", message = "The code is not correct.", attemptsLeft = 4 }, statusCode: 400));
    await service.StartAsync();

    using var httpClient = new HttpClient { BaseAddress = new Uri(service.Urls.First() + "/api/") };
    var output = new StringWriter();
    var console = Console.Out;
    Console.SetOut(output);
    try
    {
        await UsingTheClient.RunAsync(httpClient, "000000");
    }
    finally
    {
        Console.SetOut(console);
        await service.StopAsync();
    }

    if (keys is not [var key] || !Guid.TryParse(key, out _))
    {
        return $"the send carried no UUID Idempotency-Key ({string.Join(", ", keys)})";
    }

    return output.ToString().Trim() == "Wrong code; 4 attempts left." ? null : $"printed \"{output.ToString().Trim()}\", want \"Wrong code; 4 attempts left.\"";
}

static async Task<string?> ClientReadmeFlowAsync()
{
    // The README calls the service where scripts/run serves it (http://127.0.0.1:7071). A stand-in answering as docs/api.md
    // says takes those calls as the process's HTTP proxy, so the check needs no fixed port.
    var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"]);
    await using var service = builder.Build();
    var calls = new List<string>();
    service.Use((context, next) =>
    {
        calls.Add($"{context.Request.Method} {context.Request.Host}{context.Request.Path}");
        return next(context);
    });
    service.MapPost("/api/otp", () => Results.Json(new { id = "chal_1", channel = "sms", to = "+1415*****00", status = "pending", expiresAt = DateTimeOffset.UtcNow.AddMinutes(10), resendAfter = DateTimeOffset.UtcNow.AddSeconds(30), attemptsLeft = 5, sendsLeft = 4 }, statusCode: 202));
    service.MapPost("/api/otp/{id}/verify", () => Results.Json(new { status = "approved", session = new { token = "session-token", expiresAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) } }));
    await service.StartAsync();

    var (proxy, input, console) = (HttpClient.DefaultProxy, Console.In, Console.Out);
    var output = new StringWriter();
    HttpClient.DefaultProxy = new System.Net.WebProxy(service.Urls.First());
    Console.SetIn(new StringReader("123456" + Environment.NewLine));
    Console.SetOut(output);
    try
    {
        await ClientReadmeFlow.RunAsync();
    }
    finally
    {
        HttpClient.DefaultProxy = proxy;
        Console.SetIn(input);
        Console.SetOut(console);
        await service.StopAsync();
    }

    string[] expected = ["POST 127.0.0.1:7071/api/otp", "POST 127.0.0.1:7071/api/otp/chal_1/verify"];
    var printed = output.ToString().Trim();
    return calls.SequenceEqual(expected) && printed.StartsWith("Code sent to +1415*****00: Session until", StringComparison.Ordinal)
        ? null
        : $"calls {string.Join(", ", calls)} (want {string.Join(", ", expected)}), printed \"{printed}\"";
}

static async Task<string?> ClientReadmeWebAsync()
{
    await using var app = ClientReadmeWeb.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", "--Otp:ApiKey", "backend-key"]);
    var client = app.Services.GetService<OtpFunctions.Client.OtpClient>();
    var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OtpFunctions.Client.OtpClientOptions>>().Value;
    return client is not null && options.ApiKey == "backend-key" && options.BaseAddress == new Uri("https://otp.example.com")
        ? null
        : $"OtpClient {(client is null ? "not " : "")}registered, ApiKey {options.ApiKey}, BaseAddress {options.BaseAddress}";
}
