using System.ComponentModel;

namespace OtpFunctions.Configuration;

/// <summary>
/// A list setting. App settings and Bicep write lists as one comma-separated value (<c>login,signup</c>),
/// JSON as an array; the binder reads only the array, so the converter reads the single value.
/// </summary>
[TypeConverter(typeof(SettingConverter<SettingList>))]
public sealed class SettingList : List<string>, IParsable<SettingList>
{
    public SettingList()
    {
    }

    public SettingList(IEnumerable<string> values)
        : base(values)
    {
    }

    public static SettingList Parse(string s, IFormatProvider? provider) =>
        new(s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    public static bool TryParse(string? s, IFormatProvider? provider, out SettingList result)
    {
        result = s is null ? [] : Parse(s, provider);
        return s is not null;
    }
}
