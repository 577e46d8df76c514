using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery.Acs;
using OtpFunctions.Delivery.Log;
using OtpFunctions.Delivery.None;
using OtpFunctions.Delivery.Smtp;
using OtpFunctions.Delivery.Templates;
using OtpFunctions.Delivery.Voice;

namespace OtpFunctions.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Options (validated at start-up), templates, and one <see cref="IDeliveryProvider"/> per channel,
    /// keyed by <see cref="Channel"/>: resolve with <c>[FromKeyedServices(Channel.Sms)]</c>.
    /// An <see cref="AcsClientOptions"/> or <see cref="TokenCredential"/> already registered is used for ACS.
    /// </summary>
    public static IServiceCollection AddOtpDelivery(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AzureCredentials>();
        services.AddValidatedOptions<DeliveryOptions, DeliveryOptionsValidator>(DeliveryOptions.Section)
            .WithDefaults();
        services.AddValidatedOptions<DeliveryTemplateOptions, DeliveryTemplateOptionsValidator>(DeliveryTemplateOptions.Section)
            .WithDefaults();
        services.AddValidatedOptions<PublicUrlOptions, PublicUrlOptionsValidator>(PublicUrlOptions.Section);
        services.TryAddSingleton(sp => new TemplateRenderer(sp.GetRequiredService<IOptions<DeliveryTemplateOptions>>()));

        services.AddSingleton<DeliveryChannels>();
        services.AddKeyedSingleton<IDeliveryProvider>(Channel.Sms, (sp, _) => CreateSms(sp));
        services.AddKeyedSingleton<IDeliveryProvider>(Channel.Email, (sp, _) => CreateEmail(sp));
        services.AddKeyedSingleton<IDeliveryProvider>(Channel.WhatsApp, (sp, _) => CreateWhatsApp(sp));
        services.AddKeyedSingleton<IDeliveryProvider>(Channel.Voice, (sp, _) => CreateVoice(sp));
        services.AddHostedService<DeliveryStartupCheck>();
        return services;
    }

    private static IDeliveryProvider CreateSms(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DeliveryOptions>>().Value.Sms;
        if (DeliveryProviderNames.IsNone(options.Provider))
        {
            return new NotConfiguredProvider(Channel.Sms);
        }

        return IsProvider(options.Provider, DeliveryProviderNames.Acs)
            ? new AcsSmsProvider(CreateAcsClient(services, options.ConnectionString, options.Endpoint), options.From!)
            : CreateLog(services);
    }

    private static IDeliveryProvider CreateEmail(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DeliveryOptions>>().Value.Email;
        if (DeliveryProviderNames.IsNone(options.Provider))
        {
            return new NotConfiguredProvider(Channel.Email);
        }

        if (IsProvider(options.Provider, DeliveryProviderNames.Acs))
        {
            return new AcsEmailProvider(CreateAcsClient(services, options.ConnectionString, options.Endpoint), options.From!);
        }

        return IsProvider(options.Provider, DeliveryProviderNames.Smtp)
            ? new SmtpProvider(options.Smtp, options.From!, services.GetRequiredService<ILogger<SmtpProvider>>())
            : CreateLog(services);
    }

    private static IDeliveryProvider CreateWhatsApp(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DeliveryOptions>>().Value.WhatsApp;
        if (DeliveryProviderNames.IsNone(options.Provider))
        {
            return new NotConfiguredProvider(Channel.WhatsApp);
        }

        if (!IsProvider(options.Provider, DeliveryProviderNames.Acs))
        {
            return CreateLog(services);
        }

        // Options validation has refused a malformed list already.
        return WhatsAppTemplateLanguages.TryParse(options.TemplateLanguages, out var languages, out var error)
            ?  new AcsWhatsAppProvider(CreateAcsClient(services, options.ConnectionString, options.Endpoint), options.ChannelRegistrationId!, options.TemplateName, languages)
            : throw new InvalidOperationException(error);
    }

    private static IDeliveryProvider CreateVoice(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DeliveryOptions>>().Value.Voice;
        if (DeliveryProviderNames.IsNone(options.Provider))
        {
            return new NotConfiguredProvider(Channel.Voice);
        }

        return IsProvider(options.Provider, DeliveryProviderNames.Acs)
            ? new AcsVoiceProvider(
                CreateAcsClient(services, options.ConnectionString, options.Endpoint),
                options,
                services.GetRequiredService<IOptions<PublicUrlOptions>>().Value,
                services.GetRequiredService<Security.OtpHasher>())
            : CreateLog(services);
    }

    private static LogProvider CreateLog(IServiceProvider services) =>
        new(services.GetRequiredService<IHostEnvironment>(), services.GetRequiredService<ILogger<LogProvider>>());

    private static bool IsProvider(string? configured, string name) => string.Equals(configured?.Trim(), name, StringComparison.OrdinalIgnoreCase);

    private static AcsRestClient CreateAcsClient(IServiceProvider services, string? connectionString, string? endpoint)
    {
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var clientOptions = services.GetService<AcsClientOptions>();
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return AcsRestClient.WithAccessKey(AcsConnectionString.Parse(connectionString), timeProvider, clientOptions);
        }

        if (!AcsConnectionString.TryParseEndpoint(endpoint, out var endpointUri, out var error))
        {
            throw new InvalidOperationException(error);
        }

        var credential = services.GetService<TokenCredential>() ?? services.GetRequiredService<AzureCredentials>().For();
        return AcsRestClient.WithTokenCredential(endpointUri, credential, timeProvider, clientOptions);
    }
}
