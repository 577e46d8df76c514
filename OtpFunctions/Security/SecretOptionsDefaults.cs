using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OtpFunctions.Security;

/// <summary>In Development a missing key is generated; everywhere else the validator refuses to start without it.</summary>
public sealed class SecretOptionsDefaults(IHostEnvironment environment) : IPostConfigureOptions<SecretOptions>
{
    public void PostConfigure(string? name, SecretOptions options)
    {
        if (environment.IsDevelopment())
        {
            options.GenerateMissing();
        }
    }
}
