using Microsoft.Extensions.Configuration;
using OtpFunctions.Configuration;

namespace OtpFunctions.Storage;

/// <summary>
/// Where the service keeps its rows and messages, and how it reaches them. Bound from the root because its
/// keys sit in three places: <c>OtpStorage</c>, <c>Otp:Storage:Table</c> and the flat queue setting.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = SettingNames.Root;

    [ConfigurationKeyName(SettingNames.StorageConnection)]
    public StorageConnection Connection { get; set => field = value ?? new(); } = new();

    /// <summary>Table holding challenges, limits, sessions and idempotency records.</summary>
    [ConfigurationKeyName(SettingNames.StorageTable)]
    public string Table { get; set; } = "otp";

    /// <summary>The delivery queue; the queue trigger reads the same setting.</summary>
    [ConfigurationKeyName(SettingNames.DeliveryQueue)]
    public string Queue { get; set; } = "otp-delivery";

    public string PoisonQueue => Queue + "-poison";
}
