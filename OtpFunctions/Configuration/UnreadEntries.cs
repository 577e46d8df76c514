using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace OtpFunctions.Configuration;

/// <summary>
/// The configuration binder leaves out a dictionary entry it cannot convert instead of failing: a non-numeric
/// <c>Otp:ApiKeys:&lt;name&gt;:MaxSends</c> would silently drop that caller, and its backend would only find out from
/// 401s. This names every configured entry that did not make it into the options, so start-up stops instead.
/// Only the path is named, never a value: the entries hold secrets and key hashes.
/// </summary>
internal sealed class UnreadEntries<TOptions>(IConfiguration configuration, string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var unread = typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanWrite && typeof(IDictionary).IsAssignableFrom(property.PropertyType))
            .SelectMany(property => Unread(property, property.GetValue(options) as IDictionary))
            .Select(path => $"{path} could not be read: one of its values is not of the expected type (for example a count that is not a whole number).")
            .ToList();

        return unread.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(unread);
    }

    private IEnumerable<string> Unread(PropertyInfo property, IDictionary? bound)
    {
        if (bound is null)
        {
            return [];
        }

        var key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
        var path = section.Length == 0 ? key : ConfigurationPath.Combine(section, key);
        return configuration.GetSection(path).GetChildren()
            .Where(child => !bound.Contains(child.Key) && !IsBlank(child))
            .Select(child => child.Path);
    }

    // An empty setting with nothing under it configures nothing, as the binder treats it.
    private static bool IsBlank(IConfigurationSection child) => string.IsNullOrEmpty(child.Value) && !child.GetChildren().Any();
}
