using System.Security.Cryptography;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// The app settings a <see cref="RealFunctionsHost"/> starts from, so the tests of the real-host tier differ only in
/// what they are about: the isolated worker, a table and queue of its own on Azurite (named after the test class,
/// to find them in Azurite), the sweep timer off.
/// </summary>
public static class RealHostSettings
{
    public static Dictionary<string, string> Development(string name) => Base(name, "Development");

    /// <summary>
    /// As Azure runs the app: Production with fresh secrets, SMS to +1 numbers through <paramref name="acs"/>, and
    /// budgets far above what a test sends (every request comes from loopback). Email is each test's own choice.
    /// </summary>
    public static Dictionary<string, string> Production(string name, FakeAcsServer acs)
    {
        var settings = Base(name, "Production");
        settings["Otp:Secrets:Pepper"] = NewKey();
        settings["Otp:Secrets:EncryptionKey"] = NewKey();
        settings["Otp:Secrets:SigningKey"] = NewKey();
        foreach (var (key, value) in acs.SmsSettings())
        {
            settings[key] = value!;
        }
        settings["Otp:Sms:AllowedCountryCodes"] = "1";
        settings["Otp:MaxSendsGlobal"] = "1000";
        settings["Otp:Email:MaxSendsGlobal"] = "1000";
        settings["Otp:MaxSendsPerIp"] = "100000";
        return settings;
    }

    private static Dictionary<string, string> Base(string name, string environment)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        return new Dictionary<string, string>
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = environment,
            ["DOTNET_ENVIRONMENT"] = environment,
            ["OtpStorage"] = Azurite.ConnectionString,
            ["Otp:Storage:Table"] = name + suffix,
            ["OTP_DELIVERY_QUEUE"] = name + "-" + suffix,
            ["OTP_SWEEP_SCHEDULE"] = "0 0 0 1 1 *",
        };
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
