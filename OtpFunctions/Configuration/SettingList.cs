using System.ComponentModel;
using System.Globalization;

namespace OtpFunctions.Configuration;

/// <summary>
/// A list setting. App settings and Bicep write lists as one comma-separated value (<c>login,signup</c>),
/// JSON as an array; the binder reads only the array, so the converter reads the single value.
/// </summary>
[TypeConverter(typeof(SettingListConverter))]
public sealed class SettingList : List<string>
{
    public SettingList()
    {
    }

    public SettingList(IEnumerable<string> values)
        : base(values)
    {
    }

    public static SettingList Parse(string value) =>
        new(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>Lets the configuration binder turn <c>1,44</c> into a <see cref="SettingList"/>.</summary>
public sealed class SettingListConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) => SettingList.Parse((string)value);
}
