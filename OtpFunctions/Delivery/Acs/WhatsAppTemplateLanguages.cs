namespace OtpFunctions.Delivery.Acs;

/// <summary>
/// <c>Otp:Delivery:WhatsApp:TemplateLanguages</c> (<c>en:en_US,es:es,fr:fr</c>): our language → the language code the
/// template was approved in. A language not listed gets the first entry's.
/// </summary>
public sealed class WhatsAppTemplateLanguages
{
    private readonly List<(string Language, string Template)> entries;

    private WhatsAppTemplateLanguages(List<(string, string)> entries) => this.entries = entries;

    public static bool TryParse(string? setting, out WhatsAppTemplateLanguages languages, out string error)
    {
        var parsed = new List<(string, string)>();
        error = "";
        foreach (var entry in (setting ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(':', StringSplitOptions.TrimEntries);
            if (parts is not [{ Length: > 0 } language, { Length: > 0 } template])
            {
                error = $"'{entry}' is not language:template_language (en:en_US)";
                break;
            }

            parsed.Add((language.ToLowerInvariant(), template));
        }

        if (error.Length == 0 && parsed.Count == 0)
        {
            error = "names no language (en:en_US,es:es,fr:fr)";
        }

        languages = new WhatsAppTemplateLanguages(parsed);
        return error.Length == 0;
    }

    public string For(string locale)
    {
        var language = locale.Split('-', '_')[0].ToLowerInvariant();
        return entries.FirstOrDefault(e => e.Language == language) is { Template: not null } found ? found.Template : entries[0].Template;
    }
}
