using OtpFunctions.Configuration;

namespace OtpFunctions.Supabase;

/// <summary>
/// <c>Otp:Supabase</c>: Supabase Auth's Send SMS and Send Email hooks. The routes are off (404) until
/// <see cref="HookSecret"/> is set.
/// </summary>
public sealed class SupabaseOptions
{
    public const string Section = SettingNames.Supabase;

    /// <summary>
    /// The secret Supabase shows for the hook, <c>v1,whsec_&lt;base64&gt;</c>; several (comma- or <c>|</c>-separated)
    /// while a secret is being rotated, each accepted.
    /// </summary>
    public string? HookSecret { get; set; }

    /// <summary>The phone channel the Send SMS hook's codes travel by.</summary>
    public string SmsChannel { get; set; } = ChannelNames.Sms;

    public bool Enabled => !string.IsNullOrWhiteSpace(HookSecret);
}
