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
        var suffix = Guid.NewGuid().ToString("N")[..10];
        Host = await RealFunctionsHost.StartAsync(new Dictionary<string, string>
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["OtpStorage"] = Azurite.ConnectionString,
            ["Otp:Storage:Table"] = "realhost" + suffix,
            ["OTP_DELIVERY_QUEUE"] = "realhost-" + suffix,
            ["OTP_SWEEP_SCHEDULE"] = "*/3 * * * * *",
            ["Otp:Delivery:Sms:Provider"] = "Log",
            ["Otp:Delivery:Email:Provider"] = "Log",
            // Every request comes from loopback.
            ["Otp:MaxSendsPerIp"] = "100000",
            ["Otp:Entra:Authority"] = EntraTenant.Authority,
            ["Otp:Entra:Audience"] = FakeEntraTenant.ExtensionAppId,
            ["Otp:Supabase:HookSecret"] = SupabaseSecret,
            ["Otp:Delivery:WhatsApp:Provider"] = "Log",
            ["Otp:Delivery:Voice:Provider"] = "Acs",
            ["Otp:Delivery:Voice:ConnectionString"] = Acs.ConnectionString,
            ["Otp:Delivery:Voice:From"] = "+18005550199",
            // Only the callback's path and query are used: the test posts them to the host as ACS would.
            ["Otp:PublicBaseUrl"] = "http://127.0.0.1:7071",
        });
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
