using Microsoft.Extensions.Hosting;

namespace OtpFunctions.Configuration;

/// <summary>
/// Options with defaults the binder cannot express: those that depend on the environment (Development logs
/// codes and generates keys) and those that apply when a value is present but empty.
/// </summary>
public interface IOptionsDefaults
{
    void ApplyDefaults(IHostEnvironment environment);
}
