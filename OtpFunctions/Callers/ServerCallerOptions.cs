using OtpFunctions.Configuration;

namespace OtpFunctions.Callers;

/// <summary>One backend allowed to call with <c>X-Api-Key</c>.</summary>
public sealed class ServerCallerOptions
{
    /// <summary>The key under <c>Otp:ApiKeys</c>, set once bound (<see cref="CallerOptions.ApplyDefaults"/>).</summary>
    public string Name { get; internal set; } = "";

    /// <summary>Lowercase hex SHA-256 of each accepted key: two during a rotation.</summary>
    public SettingList Sha256 { get; set => field = value ?? []; } = [];

    /// <summary>Purposes this caller may use; null means any well-formed purpose.</summary>
    public SettingList? Purposes { get; set; }

    /// <summary>Sends per <c>Otp:IpWindow</c>: this caller's budget in place of the per-address one.</summary>
    public int MaxSends { get; set; } = CallerOptions.DefaultServerMaxSends;
}
