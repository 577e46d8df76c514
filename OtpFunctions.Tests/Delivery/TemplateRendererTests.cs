using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpFunctions.Delivery;
using OtpFunctions.Delivery.Templates;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Delivery;

public sealed class TemplateRendererTests : IDisposable
{
    private readonly string _overrides = Directory.CreateTempSubdirectory("otp-templates-").FullName;

    public void Dispose() => Directory.Delete(_overrides, recursive: true);

    [Fact]
    public void ReturnsEnglishSmsGivenUnknownLocale()
    {
        var message = Renderer().Render(Channel.Sms, "login", "xx", "123456", TimeSpan.FromMinutes(10));

        Assert.Equal("123456 is your OTP verification code. It expires in 10 min. Do not share it.", message.Text);
        Assert.Null(message.Subject);
        Assert.Null(message.Html);
    }

    [Theory]
    [InlineData("es", "123456 es tu código de OTP. Caduca en 5 min.")]
    [InlineData("es-MX", "123456 es tu código de OTP. Caduca en 5 min.")]
    [InlineData("FR_fr", "123456 est votre code OTP. Il expire dans 5 min. Ne le partagez pas.")]
    public void ReturnsLocalizedSmsGivenBuiltInLocale(string locale, string expected) =>
        Assert.Equal(expected, Renderer().Render(Channel.Sms, "login", locale, "123456", TimeSpan.FromMinutes(5)).Text);

    [Fact]
    public void ReturnsSubjectTextAndHtmlGivenEmail()
    {
        var message = Renderer().Render(Channel.Email, null, "fr", "987654", TimeSpan.FromSeconds(90));

        Assert.Equal("Votre code de vérification OTP", message.Subject);
        Assert.Contains("987654", message.Text, StringComparison.Ordinal);
        Assert.Contains("2 minutes", message.Text, StringComparison.Ordinal);
        Assert.Contains("987654", message.Html, StringComparison.Ordinal);
        Assert.Contains("lang=\"fr\"", message.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("fr")]
    public void KeepsCodeOutOfBuiltInSubjectsUnlessOperatorOptsIn(string locale)
    {
        var hidden = Renderer().Render(Channel.Email, "login", locale, "987654", TimeSpan.FromMinutes(10));
        var shown = Renderer(codeInSubject: true).Render(Channel.Email, "login", locale, "987654", TimeSpan.FromMinutes(10));

        Assert.DoesNotContain("987654", hidden.Subject, StringComparison.Ordinal);
        Assert.Contains("OTP", hidden.Subject, StringComparison.Ordinal);
        Assert.StartsWith("987654 ", shown.Subject, StringComparison.Ordinal);
        Assert.Contains("987654", hidden.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodesValuesGivenHtmlOnly()
    {
        var renderer = Renderer(appName: "<Ada & Co>");

        var message = renderer.Render(Channel.Email, "login", "en", "123456", TimeSpan.FromMinutes(10));

        Assert.Contains("&lt;Ada &amp; Co&gt;", message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Ada & Co>", message.Html, StringComparison.Ordinal);
        Assert.Contains("<Ada & Co>", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReturnsPurposeTemplateGivenOverrideForPurpose()
    {
        Write("sms/en/signup.txt.liquid", "Welcome to {{ appName }}! Code {{ code }} ({{ purpose }})");

        var renderer = Renderer(_overrides);

        Assert.Equal("Welcome to OTP! Code 111111 (signup)", renderer.Render(Channel.Sms, "signup", "en", "111111", TimeSpan.FromMinutes(10)).Text);
        Assert.Equal("Welcome to OTP! Code 111111 (signup)", renderer.Render(Channel.Sms, "SIGNUP", "de", "111111", TimeSpan.FromMinutes(10)).Text);
        Assert.StartsWith("111111 is your OTP", renderer.Render(Channel.Sms, "login", "en", "111111", TimeSpan.FromMinutes(10)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReturnsLocaleDefaultBeforeEnglishPurposeGivenBothExist()
    {
        Write("sms/en/signup.txt.liquid", "english signup {{ code }}");

        var message = Renderer(_overrides).Render(Channel.Sms, "signup", "es", "111111", TimeSpan.FromMinutes(10));

        Assert.StartsWith("111111 es tu código", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReturnsOverrideGivenSameFileAsBuiltIn()
    {
        Write("email/es/default.subject.liquid", "Código {{ code }}");

        var message = Renderer(_overrides).Render(Channel.Email, "login", "es", "222222", TimeSpan.FromMinutes(10));

        Assert.Equal("Código 222222", message.Subject);
        Assert.Contains("Tu código de verificación", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SpeaksTheOverrideDigitByDigitGivenVoiceTemplate()
    {
        Write("voice/fr/login.txt.liquid", "Code : {{ digits }}. Encore : {{ digits }}.");

        var message = Renderer(_overrides).Render(Channel.Voice, "login", "fr-CA", "482913", TimeSpan.FromMinutes(10));

        Assert.Equal("Code : 4, 8, 2, 9, 1, 3. Encore : 4, 8, 2, 9, 1, 3.", message.Text);
        Assert.Null(message.Subject);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("fr")]
    public void ReadsTheCodeTwiceGivenBuiltInVoiceTemplate(string locale)
    {
        var text = Renderer().Render(Channel.Voice, "login", locale, "482913", TimeSpan.FromMinutes(10)).Text;

        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(text, "4, 8, 2, 9, 1, 3"));
        Assert.DoesNotContain("482913", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FailsValidationWithFileNameGivenBrokenOverride()
    {
        Write("sms/fr/login.txt.liquid", "{% if code %}never closed");

        var result = new DeliveryTemplateOptionsValidator().Validate(null, new DeliveryTemplateOptions { Path = _overrides });

        Assert.True(result.Failed);
        Assert.Contains(Path.Combine(_overrides, "sms", "fr", "login.txt.liquid"), result.FailureMessage, StringComparison.Ordinal);
        var exception = Assert.Throws<InvalidOperationException>(() => Renderer(_overrides));
        Assert.Contains("login.txt.liquid", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailsValidationGivenUnknownVariable()
    {
        Write("sms/en/login.txt.liquid", "{{ cdoe }}");

        var result = new DeliveryTemplateOptionsValidator().Validate(null, new DeliveryTemplateOptions { Path = _overrides });

        Assert.True(result.Failed);
        Assert.Contains("login.txt.liquid", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sms/en/login.html.liquid")]
    [InlineData("fax/en/login.txt.liquid")]
    [InlineData("sms/login.txt.liquid")]
    public void FailsValidationGivenMisplacedFile(string relativePath)
    {
        Write(relativePath, "{{ code }}");

        var result = new DeliveryTemplateOptionsValidator().Validate(null, new DeliveryTemplateOptions { Path = _overrides });

        Assert.True(result.Failed);
        Assert.Contains(Path.GetFileName(relativePath), result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void FailsValidationGivenMissingFolder()
    {
        var result = new DeliveryTemplateOptionsValidator().Validate(null, new DeliveryTemplateOptions { Path = Path.Combine(_overrides, "nope") });

        Assert.True(result.Failed);
        Assert.Contains("is not a folder", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void WarnsGivenSmsTemplateNeedingTwoSegments()
    {
        Write("sms/de/default.txt.liquid", "Ihr Code lautet {{ code }}. Er läuft in {{ minutes }} Minuten ab. Teilen Sie ihn mit niemandem, auch nicht mit uns. Wir fragen nie danach, weder am Telefon noch per E-Mail oder SMS, und auch nicht im Chat.");
        var logger = new ListLogger<TemplateRendererTests>();

        var warned = DeliveryStartupCheck.WarnAboutLongSms(Renderer(_overrides), logger, 6, TimeSpan.FromMinutes(10));

        var (key, count) = Assert.Single(warned);
        Assert.Equal(("de", "default"), (key.Locale, key.Purpose));
        Assert.Equal(2, count.Segments);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("de/default", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FitsOneSegmentGivenEveryBuiltInSmsWithTenDigitCode() =>
        Assert.Empty(DeliveryStartupCheck.WarnAboutLongSms(Renderer(appName: "Contoso Bank"), new ListLogger<TemplateRendererTests>(), 10, TimeSpan.FromMinutes(10)));

    private static TemplateRenderer Renderer(string? path = null, string appName = "OTP", bool codeInSubject = false) =>
        new(Options.Create(new DeliveryTemplateOptions { Path = path, AppName = appName, CodeInSubject = codeInSubject }));

    private void Write(string relativePath, string content)
    {
        var file = Path.Combine(_overrides, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
    }
}
