using Azure.Core.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery;
using OtpFunctions.Http;
using OtpFunctions.Security;
using OtpFunctions.Sending;
using OtpFunctions.Sessions;
using OtpFunctions.Storage;
using OtpFunctions.Sweeping;
using OtpFunctions.Telemetry;
using OtpFunctions.Verifying;
using OtpFunctions.Webhooks;

namespace OtpFunctions;

/// <summary>The composition root shared by the Functions host and the local host: every line but the wiring.</summary>
public static class OtpServiceCollectionExtensions
{
    public static IServiceCollection AddOtp(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // Options: validated when the host starts, so bad configuration fails fast with a message.
        services.AddOptions<OtpOptions>().Bind(configuration.GetSection(OtpOptions.Section))
            .PostConfigure(options =>
            {
                // App settings and Bicep give the allow-list as one value (1,44): the binder alone would leave it empty, which allows every country.
                if (configuration["Otp:Sms:AllowedCountryCodes"] is { Length: > 0 } list)
                {
                    options.Sms.AllowedCountryCodes = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<OtpOptions>>(new SmsBudgetsRequired(environment, configuration));
        services.AddOptions<StorageNames>().Configure(names =>
        {
            names.Table = configuration["Otp:Storage:Table"] ?? names.Table;
            names.Queue = configuration[StorageNames.QueueSetting] ?? names.Queue;
        }).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CallerOptions>().Configure(callers => CallerOptions.Read(configuration, callers)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallerOptions>, CallerOptionsValidator>();
        services.AddOptions<DeliveryRetryOptions>().Bind(configuration.GetSection("Otp:Delivery:Retry")).ValidateDataAnnotations().ValidateOnStart();

        // Secrets and storage: decoded and connected once; a missing key outside Development stops start-up.
        services.AddSingleton(_ => OtpSecrets.Load(configuration, environment));
        services.AddSingleton(provider => OtpStorage.Create(configuration, provider.GetRequiredService<IOptions<StorageNames>>().Value, provider.GetServices<HttpPipelinePolicy>()));
        services.AddSingleton<StorageInitializer>();
        services.AddHostedService(provider => provider.GetRequiredService<StorageInitializer>());
        services.AddHostedService<StartupChecks>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<OtpMetrics>();
        services.AddOtpTelemetry(configuration);

        // Challenges, sessions, delivery and sweeping: plain singletons the function classes call.
        services.AddSingleton<OtpHasher>();
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<WindowCounter>();
        services.AddSingleton<SendBudgets>();
        services.AddSingleton<ChallengeRules>();
        services.AddSingleton<CodeIssuer>();
        services.AddSingleton<CodeVerifier>();
        services.AddSingleton<ChallengeStatusService>();
        services.AddSingleton<ClientIp>();

        // Callers: API keys for backends, the bot check (a typed client with its own short timeout) for everyone else.
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<CallerGate>();
        services.AddHttpClient<BotCheckClient>(client =>
        {
            client.Timeout = BotCheckClient.Timeout + TimeSpan.FromSeconds(1);
            client.MaxResponseContentBufferSize = 64 * 1024;
        });
        services.AddSingleton<ApiGuard>();
        services.AddSingleton<SessionTokens>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<DeliveryProtector>();
        services.AddSingleton<DeliveryHandOff>();
        services.AddSingleton<DeliveryService>();
        services.AddSingleton<Sweeper>();
        services.AddSingleton<ExpiryIndex>();
        services.AddSingleton<Delivery.Events.DeliveryReports>();

        // Webhooks to app backends: off (nothing queued) until an Otp:Webhooks endpoint is configured.
        services.AddOptions<WebhookOptions>().Configure(options => WebhookOptions.Bind(options, configuration)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddOptions<WebhookRetryOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<WebhookQueues>();
        services.AddHostedService<WebhookOutbox>();
        services.AddHttpClient<WebhookSender>().ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });

        // Entra External ID's custom email OTP provider: off (404) until Otp:Entra is configured.
        services.AddOptions<Entra.EntraOptions>().Bind(configuration.GetSection(Entra.EntraOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Entra.EntraOptions>, Entra.EntraOptionsValidator>();
        services.AddSingleton<Entra.EntraTokenValidator>();
        services.AddSingleton<Entra.EntraOtpRelay>();
        services.AddHostedService<Entra.EntraMetadataWarmUp>();

        // Providers per channel (ACS, SMTP or the Development log) and the message templates.
        services.AddOtpDelivery(configuration, environment);
        return services;
    }
}
