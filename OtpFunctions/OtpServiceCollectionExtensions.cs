using Azure.Core.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Delivery;
using OtpFunctions.Fraud;
using OtpFunctions.Http;
using OtpFunctions.Security;
using OtpFunctions.Sending;
using OtpFunctions.Sessions;
using OtpFunctions.Startup;
using OtpFunctions.Storage;
using OtpFunctions.Sweeping;
using OtpFunctions.Telemetry;
using OtpFunctions.Verifying;
using OtpFunctions.Webhooks;

namespace OtpFunctions;

/// <summary>The composition root shared by the Functions host and the local host: every line but the wiring.</summary>
public static class OtpServiceCollectionExtensions
{
    public static IServiceCollection AddOtp(this IServiceCollection services, IConfiguration configuration)
    {
        // Options: each bound from its section and checked by its validator when the host starts, so bad configuration fails fast with a message.
        services.AddCheckedOptions();

        // Secrets and storage: decoded and connected once; a missing key outside Development stops start-up.
        services.AddSecretsStorageAndTelemetry(configuration);

        // Send and verify, sessions, delivery and sweeping: plain singletons the function classes call.
        services.AddChallengeFlow();
        services.AddSessions();
        services.AddDeliveryFlow();
        services.AddSweeping();

        // The fraud guard: per number prefix, sends and verifications judged; a pumped prefix is blocked (or reported).
        services.AddFraudGuard();

        // Callers: API keys for backends, the bot check (a typed client with its own short timeout) for everyone else.
        services.AddCallers();

        // Webhooks to app backends: off (nothing queued) until an Otp:Webhooks endpoint is configured.
        services.AddWebhooks();

        // Entra External ID's custom email OTP provider: off (404) until Otp:Entra is configured.
        services.AddEntra();

        // Supabase Auth's Send SMS and Send Email hooks: off (404) until Otp:Supabase:HookSecret is set.
        services.AddSupabaseHooks();

        // Providers per channel (ACS, SMTP or the Development log) and the message templates.
        services.AddOtpDelivery();
        return services;
    }

    private static void AddCheckedOptions(this IServiceCollection services)
    {
        services.AddValidatedOptions<OtpOptions, OtpOptionsValidator>(OtpOptions.Section);
        // Budgets fail closed: a cross-feature rule (which channels send), checked beside the limits' own ranges.
        services.AddSingleton<IValidateOptions<OtpOptions>, BudgetsRequired>();
        services.AddValidatedOptions<StorageOptions, StorageOptionsValidator>(StorageOptions.Section);
        services.AddValidatedOptions<CallerOptions, CallerOptionsValidator>(CallerOptions.Section).WithDefaults();
        services.AddValidatedOptions<DeliveryRetryOptions, DeliveryRetryOptionsValidator>(DeliveryRetryOptions.Section);
        services.AddValidatedOptions<SecretOptions, SecretOptionsValidator>(SecretOptions.Section).WithDefaults();
        services.AddSingleton<AzureCredentials>();
    }

    private static void AddSecretsStorageAndTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(provider => OtpSecrets.Create(provider.GetRequiredService<IOptions<SecretOptions>>().Value));
        services.AddSingleton(provider => OtpStorage.Create(provider.GetRequiredService<IOptions<StorageOptions>>().Value, provider.GetRequiredService<AzureCredentials>(), provider.GetServices<HttpPipelinePolicy>()));
        services.AddSingleton<StorageInitializer>();
        services.AddHostedService(provider => provider.GetRequiredService<StorageInitializer>());
        services.AddHostedService<StartupChecks>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<OtpMetrics>();
        services.AddOtpTelemetry(configuration);
    }

    private static void AddChallengeFlow(this IServiceCollection services)
    {
        services.AddSingleton<OtpHasher>();
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<BudgetCounter>();
        services.AddSingleton<SendBudgets>();
        services.AddSingleton<IFallbackBudget, FallbackBudget>();
        services.AddSingleton<ChallengeRefusals>();
        services.AddSingleton<ChallengeViews>();
        services.AddSingleton<RateLimits>();
        services.AddSingleton<DestinationRule>();
        services.AddSingleton<PhoneReach>();
        services.AddSingleton<SendAdmission>();
        services.AddSingleton<CodeMinter>();
        services.AddSingleton<PendingCodes>();
        services.AddSingleton<CodeIssuer>();
        services.AddSingleton<IdempotentSend>();
        services.AddSingleton<VerifyOutcomes>();
        services.AddSingleton<CodeCheck>();
        services.AddSingleton<CodeApproval>();
        services.AddSingleton<WrongCodes>();
        services.AddSingleton<CodeVerifier>();
        services.AddSingleton<ChallengeStatusService>();
    }

    private static void AddFraudGuard(this IServiceCollection services)
    {
        services.AddValidatedOptions<FraudGuardOptions, FraudGuardOptionsValidator>(FraudGuardOptions.Section);
        services.AddSingleton<FraudRule>();
        services.AddSingleton<PrefixStore>();
        services.AddSingleton<BlockIndex>();
        services.AddSingleton<FraudAlarm>();
        services.AddSingleton<FraudGuard>();
        services.AddSingleton<FraudBlocks>();
        services.AddSingleton<VerificationTally>();
        services.AddHostedService(provider => provider.GetRequiredService<VerificationTally>());
    }

    private static void AddCallers(this IServiceCollection services)
    {
        services.AddSingleton<ClientIp>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<CallerGate>();
        services.AddHttpClient<BotCheckClient>(client =>
        {
            client.Timeout = BotCheckClient.Timeout + TimeSpan.FromSeconds(1);
            client.MaxResponseContentBufferSize = 64 * 1024;
        });
        services.AddSingleton<ApiGuard>();
    }

    private static void AddSessions(this IServiceCollection services)
    {
        services.AddSingleton<SessionTokens>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SessionService>();
    }

    private static void AddDeliveryFlow(this IServiceCollection services)
    {
        services.AddSingleton<DeliveryProtector>();
        services.AddSingleton<DeliveryHandOff>();
        services.AddSingleton<DeliveryIntake>();
        services.AddSingleton<ChannelSender>();
        services.AddSingleton<DeliveryRecorder>();
        services.AddSingleton<ProviderMessageIndex>();
        services.AddSingleton<DeliveryRetry>();
        services.AddSingleton<DeliveryFallback>();
        services.AddSingleton<Delivery.Voice.VoiceCallbacks>();
        services.AddSingleton<DeliveryService>();
        services.AddSingleton<Delivery.Events.DeliveryReports>();
    }

    private static void AddSweeping(this IServiceCollection services)
    {
        services.AddSingleton<Sweeper>();
        services.AddSingleton<ExpiryIndex>();
    }

    private static void AddWebhooks(this IServiceCollection services)
    {
        services.AddValidatedOptions<WebhookOptions, WebhookOptionsValidator>(WebhookOptions.Section).WithDefaults();
        services.AddValidatedOptions<WebhookRetryOptions, WebhookRetryOptionsValidator>();
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<WebhookQueues>();

        // The webhook trigger polls its queue even while no endpoint is configured.
        services.AddSingleton(provider => new QueueToCreate(provider.GetRequiredService<WebhookQueues>().Queue));
        services.AddSingleton<WebhookProtector>();
        services.AddHostedService<WebhookOutbox>();
        services.AddHttpClient<WebhookSender>().ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
    }

    private static void AddEntra(this IServiceCollection services)
    {
        services.AddValidatedOptions<Entra.EntraOptions, Entra.EntraOptionsValidator>(Entra.EntraOptions.Section);
        services.AddSingleton<Entra.EntraTokenValidator>();
        services.AddSingleton<Entra.EntraOtpRelay>();
        services.AddHostedService<Entra.EntraMetadataWarmUp>();
    }

    private static void AddSupabaseHooks(this IServiceCollection services)
    {
        services.AddValidatedOptions<Supabase.SupabaseOptions, Supabase.SupabaseOptionsValidator>(Supabase.SupabaseOptions.Section);
        services.AddSingleton<Supabase.HookSecrets>();
        services.AddSingleton<Supabase.HookGate>();
        services.AddSingleton<Supabase.SmsHookChannel>();
        services.AddSingleton<Supabase.SupabaseRelay>();
        services.AddSingleton<Supabase.SupabaseHooks>();
    }
}
