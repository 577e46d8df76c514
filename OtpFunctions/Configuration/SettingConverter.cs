using System.ComponentModel;
using System.Globalization;

namespace OtpFunctions.Configuration;

/// <summary>Lets the configuration binder read a setting type from its one-value form (<c>1,44</c>, a connection string).</summary>
public sealed class SettingConverter<T> : TypeConverter
    where T : IParsable<T>
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) => T.Parse((string)value, CultureInfo.InvariantCulture);
}
