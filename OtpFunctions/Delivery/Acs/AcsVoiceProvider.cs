using System.Globalization;
using System.Text.Json;
using OtpFunctions.Delivery.Voice;
using OtpFunctions.Security;

namespace OtpFunctions.Delivery.Acs;

/// <summary>
/// Voice calls through ACS Call Automation (stable 2024-09-15): <c>POST /calling/callConnections</c> places the call
/// with a callback URL that carries our own signature; once ACS reports it connected, <see cref="PlayAsync"/> reads the
/// code out (<c>:play</c>, text-to-speech) and <see cref="HangUpAsync"/> ends it (<c>DELETE</c>).
/// </summary>
public sealed class AcsVoiceProvider(AcsRestClient client, VoiceDeliveryOptions options, PublicUrlOptions urls, OtpHasher hasher) : IDeliveryProvider, IVoiceCallControl
{
    public const string ApiVersion = "2024-09-15";

    public string Name => "acs-voice";

    public async Task<DeliveryOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var callback = urls.CallbackUri(request.ChallengeId, request.CodeVersion, hasher.CallSignature(request.ChallengeId, request.CodeVersion));
        var body = new CreateCallRequest(
            [new CallTarget("phoneNumber", new PhoneNumberValue(request.To))],
            new PhoneNumberValue(options.From!),
            callback.AbsoluteUri,
            string.IsNullOrWhiteSpace(options.CognitiveServicesEndpoint) ? null : new CallIntelligence(options.CognitiveServicesEndpoint));

        // Repeatability ids come from the queue message, so a redelivered message is one call, not two.
        var headers = new Dictionary<string, string>
        {
            ["Repeatability-Request-ID"] = request.OperationId.ToString("D"),
            ["Repeatability-First-Sent"] = request.FirstSentAt.ToString("r", CultureInfo.InvariantCulture),
        };
        var response = await CallAsync(() => client.PostJsonAsync($"/calling/callConnections?api-version={ApiVersion}", JsonSerializer.SerializeToUtf8Bytes(body, AcsJsonContext.Default.CreateCallRequest), headers, cancellationToken), cancellationToken);
        if (response.Outcome is { } failed)
        {
            return failed;
        }

        try
        {
            return response.Answer!.Body.ToObjectFromJson(AcsJsonContext.Default.CallConnectionProperties)?.CallConnectionId is { Length: > 0 } id
                ? DeliveryOutcome.Sent(id)
                : DeliveryOutcome.Transient("ACS answered without a call connection id");
        }
        catch (JsonException)
        {
            return DeliveryOutcome.Transient("ACS answered with an unreadable body");
        }
    }

    public async Task<DeliveryOutcome> PlayAsync(string callConnectionId, string text, string locale, CancellationToken cancellationToken)
    {
        var body = new PlayRequest([new PlaySource("text", new TextSource(text, SpeechLocale(locale)))], "otp-code");
        var response = await CallAsync(() => client.PostJsonAsync($"/calling/callConnections/{Uri.EscapeDataString(callConnectionId)}:play?api-version={ApiVersion}", JsonSerializer.SerializeToUtf8Bytes(body, AcsJsonContext.Default.PlayRequest), new Dictionary<string, string>(), cancellationToken), cancellationToken);
        return response.Outcome ?? DeliveryOutcome.Sent(callConnectionId);
    }

    public async Task HangUpAsync(string callConnectionId, CancellationToken cancellationToken) =>
        await CallAsync(() => client.DeleteAsync($"/calling/callConnections/{Uri.EscapeDataString(callConnectionId)}?api-version={ApiVersion}", cancellationToken), cancellationToken);

    /// <summary>Our language → the text-to-speech locale ("es" → "es-ES"); a full locale is kept as given.</summary>
    public static string SpeechLocale(string locale) => locale.Split('-', '_') switch
    {
        [var language, var region] => $"{language.ToLowerInvariant()}-{region.ToUpperInvariant()}",
        ["en"] => "en-US",
        ["es"] => "es-ES",
        ["fr"] => "fr-FR",
        ["pt"] => "pt-BR",
        ["de"] => "de-DE",
        [var language, ..] => $"{language}-{language.ToUpperInvariant()}",
        _ => "en-US",
    };

    private static async Task<(AcsRestResponse? Answer, DeliveryOutcome? Outcome)> CallAsync(Func<Task<AcsRestResponse>> call, CancellationToken cancellationToken)
    {
        try
        {
            var response = await call().ConfigureAwait(false);
            return response.IsSuccess ? (response, null) : (response, AcsOutcomes.FromFailedResponse(response));
        }
        catch (Exception exception) when (AcsOutcomes.FromException(exception, cancellationToken) is not null)
        {
            return (null, AcsOutcomes.FromException(exception, cancellationToken));
        }
    }
}
