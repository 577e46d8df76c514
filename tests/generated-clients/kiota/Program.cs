using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using OtpFunctions.Generated;
using OtpFunctions.Generated.Models;

// The calls docs/clients.md shows for a Kiota client, built as it shows them, run by scripts/generated-clients-check
// against tests/generated-clients/stand-in.mjs: the minimal send needs only channel and to, a 429 reaches the caller
// once with its wait (the retry handler never resends), refusals carry their fields, and each of Event Grid's two
// answers is read into its own member.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: GeneratedClientCheck <base-url-without-/api>");
    return 2;
}

using var http = KiotaClientFactory.Create(KiotaClientFactory.CreateDefaultHandlers([new RetryHandlerOption { MaxRetry = 0 }]));
var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = "https://otp.example.com/api" };
// The lines above are docs/clients.md's, word for word (scripts/docs-check compares them); here they call the given service.
var baseUrl = args[0].TrimEnd('/');
adapter.BaseUrl = baseUrl + "/api";
var client = new OtpApiClient(adapter);
var failures = new List<string>();

var challenge = await client.Otp.PostAsync(new SendRequest { Channel = SendRequest_channel.Sms, To = "+14155550100" });
Expect(challenge is { Id: "chal_1", To: "+1415*****00", AttemptsLeft: 5 }, $"the minimal send answered {challenge?.Id} {challenge?.To}");

var resend = await RefusalAsync(() => client.Otp["chal_1"].Resend.PostAsync(new ResendRequest()));
Expect(resend is { ResponseStatusCode: 429, ErrorProp: Error_error.Rate_limited, RetryAfter: 1 }, $"a resend in the cooldown answered {resend?.ResponseStatusCode} {resend?.ErrorProp} {resend?.RetryAfter}");
var resends = await new HttpClient().GetStringAsync(baseUrl + "/requests?path=/api/otp/chal_1/resend");
Expect(resends == "1", $"the resend was sent {resends} times");

var wrong = await RefusalAsync(() => client.Otp["chal_1"].Verify.PostAsync(new VerifyRequest { Code = "123456" }));
Expect(wrong is { ResponseStatusCode: 400, ErrorProp: Error_error.Invalid_code, AttemptsLeft: 4 }, $"a wrong code answered {wrong?.ResponseStatusCode} {wrong?.ErrorProp} {wrong?.AttemptsLeft}");

var handshake = await client.Events.Delivery.PostAsync(
    [new EventGridEvent { Id = "1", EventType = "Microsoft.EventGrid.SubscriptionValidationEvent", Subject = "", EventTime = DateTimeOffset.UtcNow, DataVersion = "1", Data = new EventGridEvent_data { AdditionalData = { ["validationCode"] = "512d38b6" } } }],
    request => request.Headers.Add("aeg-event-type", "SubscriptionValidation"));
Expect(handshake is { ValidationResponse: "512d38b6", Reports: null }, $"the handshake was read as {handshake?.ValidationResponse} / {handshake?.Reports}");
var notification = await client.Events.Delivery.PostAsync([], request => request.Headers.Add("aeg-event-type", "Notification"));
Expect(notification is { ValidationResponse: null, Reports: 0 }, $"a notification was read as {notification?.ValidationResponse} / {notification?.Reports}");

Console.WriteLine(failures.Count == 0 ? "the generated C# client ran as docs/clients.md says" : string.Join(Environment.NewLine, failures));
return failures.Count == 0 ? 0 : 1;

void Expect(bool condition, string failure)
{
    if (!condition)
    {
        failures.Add(failure);
    }
}

static async Task<Error?> RefusalAsync(Func<Task> call)
{
    try
    {
        await call();
        return null;
    }
    catch (Error error)
    {
        return error;
    }
}
