using System.Globalization;
using System.Text.Json;

namespace OtpFunctions.Delivery.Acs;

/// <summary>SMS through the ACS REST API (<c>POST /sms?api-version=2021-03-07</c>).</summary>
public sealed class AcsSmsProvider(AcsRestClient client, string from) : IDeliveryProvider
{
    public const string PathAndQuery = "/sms?api-version=2021-03-07";

    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    public string Name => "acs-sms";

    public async Task<DeliveryOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        // Repeatability ids come from the queue message, so a redelivered message is one SMS, not two.
        var body = new SmsSendRequest(
            from,
            [new SmsRecipient(request.To, request.OperationId.ToString("D"), request.FirstSentAt.ToString("r", CultureInfo.InvariantCulture))],
            request.Message.Text,
            new SmsSendOptions(EnableDeliveryReport: true));

        AcsRestResponse response;
        try
        {
            response = await client.PostJsonAsync(PathAndQuery, JsonSerializer.SerializeToUtf8Bytes(body, AcsJsonContext.Default.SmsSendRequest), NoHeaders, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (AcsOutcomes.FromException(exception, cancellationToken) is not null)
        {
            return AcsOutcomes.FromException(exception, cancellationToken)!;
        }

        return response.IsSuccess ? FromAccepted(response) : AcsOutcomes.FromFailedResponse(response);
    }

    // A 202 says only that the request was read: each recipient carries its own verdict.
    private static DeliveryOutcome FromAccepted(AcsRestResponse response)
    {
        SmsSendResponse? parsed;
        try
        {
            parsed = response.Body.ToObjectFromJson(AcsJsonContext.Default.SmsSendResponse);
        }
        catch (JsonException)
        {
            return DeliveryOutcome.Transient("ACS answered with an unreadable body");
        }

        if (parsed?.Value is not [var result, ..])
        {
            return DeliveryOutcome.Transient("ACS answered without a recipient result");
        }

        if (result.Successful && !string.IsNullOrEmpty(result.MessageId))
        {
            return DeliveryOutcome.Sent(result.MessageId);
        }

        return AcsOutcomes.IsTransientStatus(result.HttpStatusCode)
            ? DeliveryOutcome.Transient($"ACS could not send to the recipient yet ({result.HttpStatusCode})", response.RetryAfter)
            : DeliveryOutcome.Permanent($"ACS rejected the recipient ({result.HttpStatusCode})");
    }
}
