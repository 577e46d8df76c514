using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    /// <summary>Defaults the binder cannot express (they depend on the environment, or on a list being empty) go in one <see cref="IPostConfigureOptions{TOptions}"/>.</summary>
    public static OptionsBuilder<TOptions> WithDefaults<TOptions, TDefaults>(this OptionsBuilder<TOptions> options)
        where TOptions : class
        where TDefaults : class, IPostConfigureOptions<TOptions>
    {
        options.Services.AddSingleton<IPostConfigureOptions<TOptions>, TDefaults>();
        return options;
    }
}
