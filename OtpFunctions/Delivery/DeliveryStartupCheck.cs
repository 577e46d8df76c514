using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery.Templates;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Delivery;

/// <summary>
/// Builds both providers and the templates when the host starts, so a bad setting fails start-up rather
/// than the first delivery, and warns about SMS templates that cost more than one segment.
/// </summary>
internal sealed class DeliveryStartupCheck(
    IServiceProvider services,
    IOptions<DeliveryTemplateOptions> templates,
    IOptions<OtpOptions> limits,
    ILogger<DeliveryStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var sms = services.GetRequiredKeyedService<IDeliveryProvider>(Channel.Sms);
        var email = services.GetRequiredKeyedService<IDeliveryProvider>(Channel.Email);
        var renderer = services.GetRequiredService<TemplateRenderer>();
        OtpLog.ProvidersReady(logger, sms.Name, email.Name, string.IsNullOrWhiteSpace(templates.Value.Path) ? "built-ins only" : "built-ins and the override folder");
        WarnAboutLongSms(renderer, logger, limits.Value.CodeLength, limits.Value.CodeLifetime);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Renders every SMS template with a sample code; returns what it warned about.</summary>
    internal static IReadOnlyList<(TemplateKey Key, SmsSegmentCount Count)> WarnAboutLongSms(TemplateRenderer renderer, ILogger logger, int codeLength, TimeSpan lifetime)
    {
        var warned = new List<(TemplateKey, SmsSegmentCount)>();
        var sampleCode = new string('8', codeLength);
        foreach (var key in renderer.Catalog.Keys.Where(k => k.Channel == Channel.Sms).OrderBy(k => k.Locale, StringComparer.Ordinal).ThenBy(k => k.Purpose, StringComparer.Ordinal))
        {
            var count = SmsSegments.Count(renderer.Render(Channel.Sms, key.Purpose, key.Locale, sampleCode, lifetime).Text);
            if (count.Segments > 1)
            {
                OtpLog.SmsTemplateNeedsSegments(logger, key.Locale, key.Purpose, count.Segments, count.Encoding.ToString(), count.Units);
                warned.Add((key, count));
            }
        }

        return warned;
    }
}
