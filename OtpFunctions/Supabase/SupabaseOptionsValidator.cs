namespace OtpFunctions.Supabase;

/// <summary>A hook secret that cannot be read, or a channel that is not a phone channel, stops start-up: never a value in the message.</summary>
public sealed class SupabaseOptionsValidator : IValidateOptions<SupabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, SupabaseOptions options)
    {
        var failures = new List<string>();
        if (options.Enabled && !HookSecrets.TryParse(options.HookSecret, out _, out var problem))
        {
            failures.Add($"Otp:Supabase:HookSecret {problem}");
        }

        if (!ChannelNames.TryParse(options.SmsChannel?.Trim(), out var channel) || !channel.IsPhone())
        {
            failures.Add($"Otp:Supabase:SmsChannel must name a phone channel: {ChannelNames.Quoted(ChannelNames.PhoneChannels)}.");
        }

        return Configuration.SettingRules.Verdict(failures);
    }
}
