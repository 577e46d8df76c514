using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpFunctions.Callers;
using OtpFunctions.Configuration;
using OtpFunctions.Storage;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Configuration;

/// <summary>The binder reads each setting in every form app settings, Bicep and JSON write it.</summary>
public sealed class OptionsRegistrationTests
{
    [Theory]
    [InlineData("Otp:Sms:AllowedCountryCodes", "1, 44")]
    [InlineData("Otp:Sms:AllowedCountryCodes:0", "1")]
    public void ReturnsCountryCodesGivenCommaSeparatedOrIndexedValues(string key, string value)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.EndsWith(":0", StringComparison.Ordinal))
        {
            settings["Otp:Sms:AllowedCountryCodes:1"] = "44";
        }

        var options = Options<OtpOptions>(settings);

        Assert.Equal(["1", "44"], options.Sms.AllowedCountryCodes);
    }

    [Fact]
    public void ReplacesDefaultPurposeGivenIndexedPurposes()
    {
        var configured = Options<CallerOptions>(new() { ["Otp:AllowedPurposes:0"] = "signup" });
        var unset = Options<CallerOptions>([]);

        Assert.Equal(["signup"], configured.AllowedPurposes);
        Assert.Equal([CallerOptions.DefaultPurpose], unset.AllowedPurposes);
    }

    [Fact]
    public void NamesEachServerCallerByItsKeyGivenApiKeys()
    {
        var (first, second) = (new string('a', 64), new string('b', 64));
        var options = Options<CallerOptions>(new() { ["Otp:ApiKeys:backend:Sha256"] = $"{first}, {second}", ["Otp:ApiKeys:backend:MaxSends"] = "7" });

        var caller = Assert.Single(options.ApiKeys.Values);
        Assert.Equal("backend", caller.Name);
        Assert.Equal([first, second], caller.Sha256);
        Assert.Null(caller.Purposes);
        Assert.Equal(7, caller.MaxSends);
    }

    [Fact]
    public void ReturnsConnectionStringOrIdentitySectionGivenOtpStorage()
    {
        var withString = Options<StorageOptions>(new() { ["OtpStorage"] = "UseDevelopmentStorage=true", ["OTP_DELIVERY_QUEUE"] = "otp-queue" });
        var withIdentity = Options<StorageOptions>(new()
        {
            ["OtpStorage:tableServiceUri"] = "https://st.table.core.windows.net",
            ["OtpStorage:queueServiceUri"] = "https://st.queue.core.windows.net",
            ["OtpStorage:clientId"] = "client",
            ["Otp:Storage:Table"] = "otpdata",
        });

        Assert.Equal("UseDevelopmentStorage=true", withString.Connection.ConnectionString);
        Assert.Equal("otp-queue", withString.Queue);
        Assert.Null(withIdentity.Connection.ConnectionString);
        Assert.Equal("https://st.queue.core.windows.net", withIdentity.Connection.QueueServiceUri);
        Assert.Equal("client", withIdentity.Connection.ClientId);
        Assert.Equal("otpdata", withIdentity.Table);
    }

    [Fact]
    public void ReturnsManagedIdentityOnlyGivenClientId()
    {
        using var configured = Services(new() { ["Otp:ManagedIdentityClientId"] = "00000000-0000-0000-0000-000000000001" });
        using var unset = Services([]);

        Assert.IsType<ManagedIdentityCredential>(configured.GetRequiredService<AzureCredentials>().ManagedIdentityOrNull());
        Assert.Null(unset.GetRequiredService<AzureCredentials>().ManagedIdentityOrNull());
        Assert.IsType<DefaultAzureCredential>(unset.GetRequiredService<AzureCredentials>().For());
    }

    private static T Options<T>(Dictionary<string, string?> settings)
        where T : class
    {
        using var services = Services(settings);
        return services.GetRequiredService<IOptions<T>>().Value;
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton(TestEnvironments.Named(Environments.Development));
        services.AddOtp(configuration);
        return services.BuildServiceProvider();
    }
}
