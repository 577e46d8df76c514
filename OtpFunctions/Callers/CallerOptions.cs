using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using OtpFunctions.Configuration;

namespace OtpFunctions.Callers;

/// <summary>
/// Who may call and how they prove it: the purposes open to anonymous callers (<c>Otp:AllowedPurposes</c>),
/// the server callers' API keys (<c>Otp:ApiKeys:&lt;name&gt;</c>) and the bot check (<c>Otp:BotCheck</c>).
/// </summary>
public sealed partial class CallerOptions : IOptionsDefaults
{
    public const string DefaultPurpose = "login";

    /// <summary>Sends a server caller may make per <c>Otp:IpWindow</c> when its <c>MaxSends</c> is not set.</summary>
    public const int DefaultServerMaxSends = 1000;

    /// <summary>Bound from <c>Otp</c>: its keys are <c>Otp:AllowedPurposes</c>, <c>Otp:ApiKeys</c> and <c>Otp:BotCheck</c>.</summary>
    public const string Section = SettingNames.Otp;

    /// <summary>Purposes open to anonymous callers; <see cref="DefaultPurpose"/> alone when none is configured.</summary>
    public SettingList AllowedPurposes { get; set => field = value ?? []; } = [];

    /// <summary>Server callers by name (<c>Otp:ApiKeys:&lt;name&gt;</c>).</summary>
    public Dictionary<string, ServerCallerOptions> ApiKeys { get; set => field = value ?? []; } = [];

    public BotCheckOptions BotCheck { get; set; } = new();

    /// <summary>Anonymous callers get <see cref="DefaultPurpose"/> when no purpose is listed, and each server caller its name.</summary>
    public void ApplyDefaults(IHostEnvironment environment)
    {
        if (AllowedPurposes.Count == 0)
        {
            AllowedPurposes = [DefaultPurpose];
        }

        foreach (var (name, caller) in ApiKeys)
        {
            caller.Name = name;
        }
    }

    /// <summary>Shared with the send request's own check, so configuration and requests obey one rule.</summary>
    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,31}\z")]
    public static partial Regex PurposeShape();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\z")]
    internal static partial Regex NameShape();

    [GeneratedRegex(@"^[0-9a-f]{64}\z")]
    internal static partial Regex Sha256Shape();
}
