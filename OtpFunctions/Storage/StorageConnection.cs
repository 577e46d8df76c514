using System.ComponentModel;
using OtpFunctions.Configuration;

namespace OtpFunctions.Storage;

/// <summary>
/// <c>OtpStorage</c> in either of the forms the Functions host reads: a connection string, or a section with
/// <c>tableServiceUri</c>, <c>queueServiceUri</c> and <c>clientId</c> for a managed identity.
/// </summary>
[TypeConverter(typeof(SettingConverter<StorageConnection>))]
public sealed class StorageConnection : IParsable<StorageConnection>
{
    public string? ConnectionString { get; private init; }

    public string? TableServiceUri { get; set; }

    public string? QueueServiceUri { get; set; }

    /// <summary>The identity for this connection; <c>Otp:ManagedIdentityClientId</c> when unset.</summary>
    public string? ClientId { get; set; }

    /// <summary>The connection-string form: a value, where the identity form is a section.</summary>
    public static StorageConnection Parse(string s, IFormatProvider? provider) => new() { ConnectionString = s };

    public static bool TryParse(string? s, IFormatProvider? provider, out StorageConnection result)
    {
        result = s is null ? new() : Parse(s, provider);
        return s is not null;
    }
}
