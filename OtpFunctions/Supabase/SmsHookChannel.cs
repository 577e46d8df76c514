namespace OtpFunctions.Supabase;

/// <summary>The phone channel the Send SMS hook's codes travel by (<c>Otp:Supabase:SmsChannel</c>, checked at start-up).</summary>
public sealed class SmsHookChannel(IOptions<SupabaseOptions> options)
{
    public Channel Channel { get; } = ChannelNames.TryParse(options.Value.SmsChannel?.Trim(), out var channel) ? channel : Channel.Sms;
}
