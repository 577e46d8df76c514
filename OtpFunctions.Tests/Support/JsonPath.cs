using System.Text.Json;

namespace OtpFunctions.Tests.Support;

/// <summary>Reads nested JSON (templates, documents, metadata) by a path of property names instead of a chain of GetProperty calls.</summary>
public static class JsonPath
{
    /// <summary>The element at <paramref name="path"/>; a missing name fails with the whole path, which GetProperty does not say.</summary>
    public static JsonElement At(this JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (!element.TryGetProperty(name, out element))
            {
                throw new KeyNotFoundException($"no \"{name}\" on the path {string.Join('.', path)}");
            }
        }

        return element;
    }
}
