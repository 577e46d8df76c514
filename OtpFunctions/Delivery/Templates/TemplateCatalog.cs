using System.Diagnostics.CodeAnalysis;
using Fluid;

namespace OtpFunctions.Delivery.Templates;

/// <summary>
/// Every parsed template, built-in first, then the operator's override folder on top.
/// Layout, for both: <c>{sms|whatsapp|voice|email}/{locale}/{purpose}.{subject|txt|html}.liquid</c>; the phone
/// channels have <c>txt</c> only (voice: the spoken text; WhatsApp: what the Log provider shows, since the approved
/// template's own text is what WhatsApp users read).
/// </summary>
public sealed class TemplateCatalog
{
    public const string DefaultPurpose = "default";
    public const string DefaultLocale = "en";
    private const string ResourcePrefix = "OtpTemplates/";

    private static readonly FluidParser Parser = new();

    private readonly Dictionary<TemplateKey, IFluidTemplate> templates;

    private TemplateCatalog(Dictionary<TemplateKey, IFluidTemplate> templates) => this.templates = templates;

    public IEnumerable<TemplateKey> Keys => templates.Keys;

    public bool TryGet(TemplateKey key, [NotNullWhen(true)] out IFluidTemplate? template) => templates.TryGetValue(key, out template);

    /// <summary>Loads built-ins and overrides; throws with every faulty file named.</summary>
    public static TemplateCatalog Load(string? overridePath) =>
        TryLoad(overridePath, out var catalog, out var errors)
            ? catalog
            : throw new InvalidOperationException("Delivery templates are invalid: " + string.Join("; ", errors));

    public static bool TryLoad(string? overridePath, [NotNullWhen(true)] out TemplateCatalog? catalog, out IReadOnlyList<string> errors)
    {
        var found = new List<string>();
        var templates = new Dictionary<TemplateKey, IFluidTemplate>();
        foreach (var (name, source) in BuiltIn())
        {
            Add(templates, found, name, $"built-in {name}", source);
        }

        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            if (!Directory.Exists(overridePath))
            {
                found.Add($"Otp:Templates:Path '{overridePath}' is not a folder");
            }
            else
            {
                foreach (var file in Directory.EnumerateFiles(overridePath, "*.liquid", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    var relative = Path.GetRelativePath(overridePath, file).Replace('\\', '/');
                    Add(templates, found, relative, file, File.ReadAllText(file));
                }
            }
        }

        errors = found;
        catalog = found.Count == 0 ? new TemplateCatalog(templates) : null;
        return catalog is not null;
    }

    private static void Add(Dictionary<TemplateKey, IFluidTemplate> templates, List<string> errors, string relativePath, string displayName, string source)
    {
        if (!TryParseKey(relativePath, out var key))
        {
            errors.Add($"{displayName}: expected {{sms|whatsapp|voice|email}}/{{locale}}/{{purpose}}.{{subject|txt|html}}.liquid (the phone channels have txt only)");
            return;
        }

        if (!Parser.TryParse(source, out var template, out var parseError))
        {
            errors.Add($"{displayName}: {parseError}");
            return;
        }

        // A sample render with strict variables turns a misspelt {{ cdoe }} into a start-up error.
        try
        {
            TemplateRenderer.RenderPart(template, key.Part, new TemplateValues("123456", 10, "OTP", key.Purpose), strict: true);
        }
        catch (Exception exception) when (exception is FluidException or InvalidOperationException)
        {
            errors.Add($"{displayName}: {exception.Message}");
            return;
        }

        templates[key] = template;
    }

    private static bool TryParseKey(string relativePath, [NotNullWhen(true)] out TemplateKey? key)
    {
        key = null;
        var segments = relativePath.ToLowerInvariant().Split('/');
        if (segments is not [var channelName, var locale, var fileName] || !fileName.EndsWith(".liquid", StringComparison.Ordinal))
        {
            return false;
        }

        var nameParts = fileName[..^".liquid".Length].Split('.');
        if (nameParts is not [var purpose, var partName] || !TemplateNames.IsValidName(locale) || !TemplateNames.IsValidName(purpose))
        {
            return false;
        }

        Channel? channel = ChannelNames.TryParse(channelName, out var named) ? named : null;
        TemplatePart? part = partName switch { "subject" => TemplatePart.Subject, "txt" => TemplatePart.Text, "html" => TemplatePart.Html, _ => null };
        if (channel is null || part is null || (channel.Value.IsPhone() && part != TemplatePart.Text))
        {
            return false;
        }

        key = new TemplateKey(channel.Value, locale, purpose, part.Value);
        return true;
    }

    private static IEnumerable<(string Name, string Source)> BuiltIn()
    {
        var assembly = typeof(TemplateCatalog).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (resource[ResourcePrefix.Length..].Replace('\\', '/'), reader.ReadToEnd());
        }
    }
}

internal static class TemplateNames
{
    public static bool IsValidName(string value) =>
        value.Length is > 0 and <= 32 && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>"es-MX" tries es-mx, then es; anything odd becomes the default.</summary>
    public static IEnumerable<string> LocaleChain(string? locale)
    {
        var normalized = (locale ?? "").Trim().Replace('_', '-').ToLowerInvariant();
        if (IsValidName(normalized))
        {
            yield return normalized;
            var dash = normalized.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0)
            {
                yield return normalized[..dash];
            }
        }

        yield return TemplateCatalog.DefaultLocale;
    }

    public static string NormalizePurpose(string? purpose)
    {
        var normalized = (purpose ?? "").Trim().ToLowerInvariant();
        return IsValidName(normalized) ? normalized : TemplateCatalog.DefaultPurpose;
    }
}
