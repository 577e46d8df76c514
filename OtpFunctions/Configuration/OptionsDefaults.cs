using Microsoft.Extensions.Hosting;

namespace OtpFunctions.Configuration;

/// <summary>Runs each options class's own <see cref="IOptionsDefaults.ApplyDefaults"/> after binding and before validation.</summary>
public sealed class OptionsDefaults<TOptions>(IHostEnvironment environment) : IPostConfigureOptions<TOptions>
    where TOptions : class, IOptionsDefaults
{
    public void PostConfigure(string? name, TOptions options) => options.ApplyDefaults(environment);
}
