using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;

namespace OtpFunctions.Delivery.Templates;

/// <summary>Renders the message for one code: per channel, purpose and locale, falling back to <c>en</c> and <c>default</c>.</summary>
public sealed class TemplateRenderer(TemplateCatalog catalog, string appName, bool codeInSubject = false)
{
    // Values are the only thing encoded, and keeping letters as letters keeps the HTML readable.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly TemplateOptions Relaxed = CreateOptions(strict: false);
    private static readonly TemplateOptions Strict = CreateOptions(strict: true);

    public TemplateRenderer(IOptions<DeliveryTemplateOptions> options)
        : this(TemplateCatalog.Load(options.Value.Path), options.Value.AppName, options.Value.CodeInSubject)
    {
    }

    public TemplateCatalog Catalog => catalog;

    public RenderedMessage Render(Channel channel, string? purpose, string? locale, string code, TimeSpan lifetime)
    {
        var normalizedPurpose = TemplateNames.NormalizePurpose(purpose);
        var values = new TemplateValues(code, Math.Max(1, (int)Math.Ceiling(lifetime.TotalMinutes)), appName, normalizedPurpose, codeInSubject);
        var chain = Chain(normalizedPurpose, locale).ToList();
        var text = RenderFirst(channel, TemplatePart.Text, chain, values)
            ?? throw new InvalidOperationException($"No {channel} text template, not even en/default.");
        return channel != Channel.Email
            ? new RenderedMessage(null, text, null)
            : new RenderedMessage(RenderFirst(channel, TemplatePart.Subject, chain, values)?.Trim(), text, RenderFirst(channel, TemplatePart.Html, chain, values));
    }

    internal static string RenderPart(IFluidTemplate template, TemplatePart part, TemplateValues values, bool strict)
    {
        var context = new TemplateContext(strict ? Strict : Relaxed);
        context.SetValue("code", values.Code);
        context.SetValue("digits", values.Digits);
        context.SetValue("minutes", values.Minutes);
        context.SetValue("appName", values.AppName);
        context.SetValue("purpose", values.Purpose);
        context.SetValue("codeInSubject", values.CodeInSubject);
        return part == TemplatePart.Html ? template.Render(context, Html) : template.Render(context, NullEncoder.Default);
    }

    /// <summary>locale+purpose, locale+default, then the same for each fallback locale down to en.</summary>
    private static IEnumerable<(string Locale, string Purpose)> Chain(string purpose, string? locale)
    {
        foreach (var candidate in TemplateNames.LocaleChain(locale).Distinct())
        {
            yield return (candidate, purpose);
            yield return (candidate, TemplateCatalog.DefaultPurpose);
        }
    }

    private string? RenderFirst(Channel channel, TemplatePart part, List<(string Locale, string Purpose)> chain, TemplateValues values)
    {
        foreach (var (locale, purpose) in chain)
        {
            if (catalog.TryGet(new TemplateKey(channel, locale, purpose, part), out var template))
            {
                return RenderPart(template, part, values, strict: false);
            }
        }

        return null;
    }

    private static TemplateOptions CreateOptions(bool strict) => new()
    {
        StrictVariables = strict,
        CultureInfo = CultureInfo.InvariantCulture,
        // Operator templates are trusted but typos are not: bound runaway loops.
        MaxSteps = 10_000,
        MaxRecursion = 20,
    };
}
