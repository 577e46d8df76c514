namespace OtpFunctions.Tests.Support;

/// <summary>A running service with the Supabase hooks on, during a secret rotation (two secrets accepted).</summary>
public sealed class SupabaseFixture : IAsyncLifetime
{
    public string Secret { get; } = SupabaseHook.NewSecret();

    public string RetiringSecret { get; } = SupabaseHook.NewSecret();

    public OtpHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await OtpHost.StartAsync(new Dictionary<string, string?>
    {
        ["Otp:Supabase:HookSecret"] = $"{RetiringSecret},{Secret}",
        ["Otp:AppName"] = "Contoso",
        ["Otp:Sms:AllowedCountryCodes"] = "1,44",
    });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
