using Microsoft.Extensions.Options;

namespace OtpFunctions.Callers;

/// <summary>What the binder cannot say: anonymous callers get <c>login</c> when no purpose is listed, and each server caller its name.</summary>
public sealed class CallerOptionsDefaults : IPostConfigureOptions<CallerOptions>
{
    public void PostConfigure(string? name, CallerOptions options)
    {
        if (options.AllowedPurposes.Count == 0)
        {
            options.AllowedPurposes = [CallerOptions.DefaultPurpose];
        }

        foreach (var (callerName, caller) in options.ApiKeys)
        {
            caller.Name = callerName;
        }
    }
}
