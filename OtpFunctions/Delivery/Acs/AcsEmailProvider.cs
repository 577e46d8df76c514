using System.Text.Json;

namespace OtpFunctions.Delivery.Acs;

/// <summary>Email through the ACS REST API (<c>POST /emails:send?api-version=2023-03-31</c>).</summary>
public sealed class AcsEmailProvider(AcsRestClient client, string senderAddress) : IDeliveryProvider
{
    public const string PathAndQuery = "/emails:send?api-version=2023-03-31";

    public string Name => "acs-email";

    public async Task<DeliveryOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var body = new EmailSendRequest(
            senderAddress,
            new EmailContent(request.Message.Subject ?? "", request.Message.Text, request.Message.Html),
            new EmailRecipients([new EmailAddress(request.To)]),
            UserEngagementTrackingDisabled: true);

        // Operation-Id makes ACS treat a redelivered queue message as the same send.
        var operationId = request.OperationId.ToString("D");
        var headers = new Dictionary<string, string> { ["Operation-Id"] = operationId };

        AcsRestResponse response;
        try
        {
            response = await client.PostJsonAsync(PathAndQuery, JsonSerializer.SerializeToUtf8Bytes(body, AcsJsonContext.Default.EmailSendRequest), headers, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (AcsOutcomes.FromException(exception, cancellationToken) is not null)
        {
            return AcsOutcomes.FromException(exception, cancellationToken)!;
        }

        if (!response.IsSuccess)
        {
            return AcsOutcomes.FromFailedResponse(response);
        }

        // Email delivery reports carry the operation id as their messageId.
        string? id = null;
        try
        {
            id = response.Body.ToObjectFromJson(AcsJsonContext.Default.EmailSendResponse)?.Id;
        }
        catch (JsonException)
        {
        }

        return DeliveryOutcome.Sent(string.IsNullOrEmpty(id) ? operationId : id);
    }
}
