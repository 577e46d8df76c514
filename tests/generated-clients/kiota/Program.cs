using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using OtpFunctions.Generated;
using OtpFunctions.Generated.Models;

// The calls docs/clients.md shows for a Kiota client, compiled against what Kiota generated: the minimal send
// needs only channel and to, and the retry handler never resends (a 429 reaches the caller with its Retry-After).
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: GeneratedClientCheck <base-url-without-/api>");
    return 2;
}

using var http = KiotaClientFactory.Create(KiotaClientFactory.CreateDefaultHandlers([new RetryHandlerOption { MaxRetry = 0 }]));
var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = "https://otp.example.com/api" };
// The lines above are docs/clients.md's, word for word (scripts/docs-check compares them); here they call the given service.
adapter.BaseUrl = args[0].TrimEnd('/') + "/api";
var client = new OtpApiClient(adapter);

try
{
    var challenge = await client.Otp.PostAsync(new SendRequest { Channel = SendRequest_channel.Sms, To = "+14155550100" });
    Console.WriteLine($"sent {challenge?.Id} to {challenge?.To}, {challenge?.AttemptsLeft} attempts");
    var approved = await client.Otp[challenge!.Id!].Verify.PostAsync(new VerifyRequest { Code = "123456" });
    Console.WriteLine($"session until {approved?.Session?.ExpiresAt}");
}
catch (Error error)
{
    Console.WriteLine($"{error.ResponseStatusCode} {error.ErrorProp}: {error.Message} (attempts left {error.AttemptsLeft}, retry after {error.RetryAfter})");
}

var answer = await client.Events.Delivery.PostAsync([]);
Console.WriteLine(answer?.ValidationResponse ?? $"{answer?.Reports} reports");
return 0;
