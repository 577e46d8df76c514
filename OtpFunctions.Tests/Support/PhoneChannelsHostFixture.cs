namespace OtpFunctions.Tests.Support;

/// <summary>One host per test class with every phone channel configured: WhatsApp and voice are None unless named, so this names Log (the capture stands in for it).</summary>
public sealed class PhoneChannelsHostFixture : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Otp:Delivery:WhatsApp:Provider"] = "Log",
        ["Otp:Delivery:Voice:Provider"] = "Log",
    };

    public OtpHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await OtpHost.StartAsync(new Dictionary<string, string?>(Settings));

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
