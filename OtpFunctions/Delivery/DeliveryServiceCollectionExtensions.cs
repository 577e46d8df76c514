using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpFunctions.Delivery.Acs;
using OtpFunctions.Delivery.Log;
using OtpFunctions.Delivery.None;
using OtpFunctions.Delivery.Smtp;
using OtpFunctions.Delivery.Templates;

namespace OtpFunctions.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Options (validated at start-up), templates, and one <see cref="IDeliveryProvider"/> per channel,
    /// keyed by <see cref="Channel"/>: resolve with <c>[FromKeyedServices(Channel.Sms)]</c>.
    /// An <see cref="AcsClientOptions"/> or <see cref="TokenCredential"/> already registered is used for ACS.
    /// </summary>
    public static IServiceCollection AddOtpDelivery(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<DeliveryOptions>>(new DeliveryOptionsDefaults(environment));
        services.AddSingleton<IValidateOptions<DeliveryOptions>>(new DeliveryOptionsValidator(environment));

        services.AddOptions<DeliveryTemplateOptions>()
            .Configure(options =>
            {
                options.Path = configuration["Otp:Templates:Path"];
                options.AppName = configuration["Otp:AppName"] is { Length: > 0 } appName ? appName : "OTP";
                options.CodeInSubject = configuration.GetValue("Otp:Templates:CodeInSubject", false);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeliveryTemplateOptions>, DeliveryTemplateOptionsValidator>();
        services.TryAddSingleton(sp => new TemplateRenderer(sp.GetRequiredService<IOptions<DeliveryTemplateOptions>>()));

        services.AddSingleton<DeliveryChannels>();
        services.AddKeyedSingleton<IDeliveryProvider>(Channel.Sms, (sp, _) => CreateSms(sp, configuration));
        services.AddKeyedSingleton<IDeliveryProvider>(Channel.Email, (sp, _) => CreateEmail(sp, configuration));
        services.AddHostedService(sp => new DeliveryStartupCheck(sp, configuration, sp.GetRequiredService<ILogger<DeliveryStartupCheck>>()));
        return services;
    }

    private static IDeliveryProvider CreateSms(IServiceProvider services, IConfiguration configuration)
    {
        var options = services.GetRequiredService<IOptions<DeliveryOptions>>().Value.Sms;
        if (DeliveryProviderNames.IsNone(options.Provider))
        {
            return new NotConfiguredProvider(Channel.Sms);
        }

        return IsProvider(options.Provider, DeliveryProviderNames.Acs)
            ? new AcsSmsProvider(CreateAcsClient(services, configuration, options.ConnectionString, options.Endpoint), options.From!)
            : CreateLog(services);
    }

    private static IDeliveryProvider CreateEmail(IServiceProvider services, IConfiguration configuration)
    {
        var options = services.GetRequiredService<IOptions<DeliveryOptions>>().Value.Email;
        if (DeliveryProviderNames.IsNone(options.Provider))
        {
            return new NotConfiguredProvider(Channel.Email);
        }

        if (IsProvider(options.Provider, DeliveryProviderNames.Acs))
        {
            return new AcsEmailProvider(CreateAcsClient(services, configuration, options.ConnectionString, options.Endpoint), options.From!);
        }

        return IsProvider(options.Provider, DeliveryProviderNames.Smtp)
            ? new SmtpProvider(options.Smtp, options.From!, services.GetRequiredService<ILogger<SmtpProvider>>())
            : CreateLog(services);
    }

    private static LogProvider CreateLog(IServiceProvider services) =>
        new(services.GetRequiredService<IHostEnvironment>(), services.GetRequiredService<ILogger<LogProvider>>());

    private static bool IsProvider(string? configured, string name) => string.Equals(configured?.Trim(), name, StringComparison.OrdinalIgnoreCase);

    private static AcsRestClient CreateAcsClient(IServiceProvider services, IConfiguration configuration, string? connectionString, string? endpoint)
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

        var credential = services.GetService<TokenCredential>() ?? CreateCredential(configuration["Otp:ManagedIdentityClientId"]);
        return AcsRestClient.WithTokenCredential(endpointUri, credential, timeProvider, clientOptions);
    }

    private static TokenCredential CreateCredential(string? managedIdentityClientId) =>
        string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId));
}
