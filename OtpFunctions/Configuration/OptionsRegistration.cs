using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OtpFunctions.Configuration;

/// <summary>
/// The one way options are bound: from their section, checked by their validator when the host starts,
/// so bad configuration fails fast with a message that names the key.
/// </summary>
public static class OptionsRegistration
{
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        services.AddSingleton<IValidateOptions<TOptions>>(provider => new UnreadEntries<TOptions>(provider.GetRequiredService<IConfiguration>(), section));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>Options that are not configuration keys (fixed schedules tests may override): validated the same way, bound from nothing.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddOptions<TOptions>().ValidateOnStart();
    }

    /// <summary>Applies the options' own <see cref="IOptionsDefaults"/> after binding, before validation.</summary>
    public static OptionsBuilder<TOptions> WithDefaults<TOptions>(this OptionsBuilder<TOptions> options)
        where TOptions : class, IOptionsDefaults
    {
        options.Services.AddSingleton<IPostConfigureOptions<TOptions>, OptionsDefaults<TOptions>>();
        return options;
    }
}
