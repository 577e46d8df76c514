using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace OtpFunctions.Client;

/// <summary>Registers <see cref="OtpClient"/> with the host's <see cref="IHttpClientFactory"/>.</summary>
public static class OtpClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="OtpClient"/> as a typed HTTP client with the caller headers and a retry pipeline that repeats only
    /// what is safe: reads, cancels, and sends (which carry an <c>Idempotency-Key</c>); never a resend, a verify or a 429.
    /// Resilience handlers the app adds to every client (<c>ConfigureHttpClientDefaults</c>) are removed from this one.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">Sets the base address and, optionally, the API key or bot token.</param>
    /// <returns>The HTTP client builder, for more handlers or settings.</returns>
    public static IHttpClientBuilder AddOtpClient(this IServiceCollection services, Action<OtpClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<OtpClientOptions>()
            .Configure(configure)
            .Validate(options => options.BaseAddress is { IsAbsoluteUri: true }, "OtpClientOptions.BaseAddress must be the service's absolute URL, such as https://otp.example.com.")
            .ValidateOnStart();

        var builder = services.AddHttpClient<OtpClient>((provider, http) => http.BaseAddress = Options(provider).ApiRoot());

        // An app's ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler()), as .NET Aspire's service defaults
        // write it, reaches this client too: it retries every method and waits out 429s, so it would resend codes and count
        // wrong codes twice. Only the pipeline below decides what this client repeats.
        // (RemoveAllResilienceHandlers does the same but is experimental, and a package must not depend on it.)
        builder.ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
        {
            foreach (var handler in handlers.OfType<ResilienceHandler>().ToList())
            {
                handlers.Remove(handler);
            }
        });
        builder.AddResilienceHandler("otp", (pipeline, context) => OtpRetryPolicy.Configure(pipeline, Options(context.ServiceProvider)));
        builder.AddHttpMessageHandler(provider => new CallerHeadersHandler(Options(provider)));
        return builder;
    }

    private static OtpClientOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<OtpClientOptions>>().Value;
}
