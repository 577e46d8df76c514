using System.Globalization;
using System.Text.Json;

namespace OtpFunctions.Delivery.Acs;

/// <summary>
/// WhatsApp through ACS Advanced Messaging (<c>POST /messages/notifications:send?api-version=2024-08-30</c>, kind
/// <c>template</c>): the approved authentication template, its body and copy-code button bound to the code, in the
/// template language the challenge's locale maps to.
/// </summary>
public sealed class AcsWhatsAppProvider(AcsRestClient client, string channelRegistrationId, string templateName, WhatsAppTemplateLanguages languages) : IDeliveryProvider
{
    public const string PathAndQuery = "/messages/notifications:send?api-version=2024-08-30";

    private const string CodeValue = "code";

    public string Name => "acs-whatsapp";

    public async Task<DeliveryOutcome> SendAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var body = new WhatsAppSendRequest(
            channelRegistrationId,
            [request.To],
            "template",
            new WhatsAppTemplate(
                templateName,
                languages.For(request.Locale),
                [new WhatsAppTemplateValue(CodeValue, "text", request.Code)],
                new WhatsAppTemplateBindings("whatsApp", [new WhatsAppBinding(CodeValue)], [new WhatsAppButtonBinding("url", CodeValue)])));

        // Repeatability ids come from the queue message, so a redelivered message is one WhatsApp message, not two.
        var headers = new Dictionary<string, string>
        {
            ["Repeatability-Request-ID"] = request.OperationId.ToString("D"),
            ["Repeatability-First-Sent"] = request.FirstSentAt.ToString("r", CultureInfo.InvariantCulture),
        };

        AcsRestResponse response;
        try
        {
            response = await client.PostJsonAsync(PathAndQuery, JsonSerializer.SerializeToUtf8Bytes(body, AcsJsonContext.Default.WhatsAppSendRequest), headers, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (AcsOutcomes.FromException(exception, cancellationToken) is not null)
        {
            return AcsOutcomes.FromException(exception, cancellationToken)!;
        }

        return response.IsSuccess ? FromAccepted(response) : AcsOutcomes.FromFailedResponse(response);
    }

    // A 202 carries one receipt per recipient; its message id is what delivery status events name.
    private static DeliveryOutcome FromAccepted(AcsRestResponse response)
    {
        try
        {
            return response.Body.ToObjectFromJson(AcsJsonContext.Default.WhatsAppSendResponse)?.Receipts is [{ MessageId: { Length: > 0 } messageId }, ..]
                ? DeliveryOutcome.Sent(messageId)
                : DeliveryOutcome.Transient("ACS answered without a message receipt");
        }
        catch (JsonException)
        {
            return DeliveryOutcome.Transient("ACS answered with an unreadable body");
        }
    }
}
