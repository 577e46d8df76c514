namespace OtpFunctions.Tests.Support;

/// <summary>One real Functions host for the tier, in Development (codes delivered to the log), with a sweep every few seconds.</summary>
public sealed class RealHostFixture : IAsyncLifetime
{
    public RealFunctionsHost Host { get; private set; } = null!;

    /// <summary>A loopback Entra tenant the host trusts, for the custom email OTP provider.</summary>
    public FakeEntraTenant EntraTenant { get; } = new();

    /// <summary>The Supabase hooks' secret, as Supabase shows it.</summary>
    public string SupabaseSecret { get; } = SupabaseHook.NewSecret();

    /// <summary>A loopback ACS Call Automation endpoint the host places voice calls with.</summary>
    public FakeAcsServer Acs { get; } = new();

    public async Task InitializeAsync()
    {
        await EntraTenant.StartAsync();
        await Acs.StartAsync();
        var settings = RealHostSettings.Development("realhost");
        settings["OTP_SWEEP_SCHEDULE"] = "*/3 * * * * *";
        settings["Otp:Delivery:Sms:Provider"] = "Log";
        settings["Otp:Delivery:Email:Provider"] = "Log";
        // Every request comes from loopback.
        settings["Otp:MaxSendsPerIp"] = "100000";
        settings["Otp:Entra:Authority"] = EntraTenant.Authority;
        settings["Otp:Entra:Audience"] = FakeEntraTenant.ExtensionAppId;
        settings["Otp:Supabase:HookSecret"] = SupabaseSecret;
        settings["Otp:Delivery:WhatsApp:Provider"] = "Log";
        settings["Otp:Delivery:Voice:Provider"] = "Acs";
        settings["Otp:Delivery:Voice:ConnectionString"] = Acs.ConnectionString;
        settings["Otp:Delivery:Voice:From"] = "+18005550199";
        // Only the callback's path and query are used: the test posts them to the host as ACS would.
        settings["Otp:PublicBaseUrl"] = "http://127.0.0.1:7071";
        Host = await RealFunctionsHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await EntraTenant.DisposeAsync();
        await Acs.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class RealHostGroup : ICollectionFixture<RealHostFixture>
{
    public const string Name = "real Functions host";
}
