namespace OtpFunctions.Delivery.Smtp;

/// <summary>SMTP relay settings (<c>Otp:Delivery:Email:Smtp</c>).</summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary>
    /// TLS from the first byte on port 465, STARTTLS (required) on any other port. False still upgrades
    /// with STARTTLS when the relay offers it; false is refused outside Development unless the host is loopback.
    /// </summary>
    public bool UseTls { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>True for <c>localhost</c> and loopback addresses: traffic that never leaves the machine.</summary>
    public static bool IsLoopback(string? host) =>
        string.Equals(host?.Trim(), "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host?.Trim().Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}
