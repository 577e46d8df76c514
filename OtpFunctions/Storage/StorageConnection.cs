using System.ComponentModel;
using System.Globalization;

namespace OtpFunctions.Storage;

/// <summary>
/// <c>OtpStorage</c> in either of the forms the Functions host reads: a connection string, or a section with
/// <c>tableServiceUri</c>, <c>queueServiceUri</c> and <c>clientId</c> for a managed identity.
/// </summary>
[TypeConverter(typeof(StorageConnectionConverter))]
public sealed class StorageConnection
{
    public string? ConnectionString { get; private init; }

    public string? TableServiceUri { get; set; }

    public string? QueueServiceUri { get; set; }

    /// <summary>The identity for this connection; <c>Otp:ManagedIdentityClientId</c> when unset.</summary>
    public string? ClientId { get; set; }

    public static StorageConnection FromConnectionString(string connectionString) => new() { ConnectionString = connectionString };
}

/// <summary>Lets the binder read the connection-string form, a value where the identity form is a section.</summary>
public sealed class StorageConnectionConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) => StorageConnection.FromConnectionString((string)value);
}
