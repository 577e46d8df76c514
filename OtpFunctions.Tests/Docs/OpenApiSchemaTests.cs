using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Configuration;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Docs;

/// <summary>
/// The schemas say what the server enforces, so clients generated from openapi.json (openapi-typescript, Kiota)
/// refuse what the server would refuse and require only what it requires.
/// </summary>
public sealed partial class OpenApiSchemaTests
{
    private static readonly Lazy<JsonDocument> File = new(() => JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(RepoRoot.Path, "OtpFunctions", "Docs", "openapi.json"))));

    private static JsonElement Schemas => File.Value.RootElement.At("components", "schemas");

    [Fact]
    public void DeclaresNoDefaultGivenOptionalProperty()
    {
        // openapi-typescript makes a property with a default required, so the documented minimal body fails tsc.
        var offenders = ObjectSchemas(File.Value.RootElement)
            .SelectMany(schema => schema.GetProperty("properties").EnumerateObject()
                .Where(property => property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("default", out _))
                .Select(property => property.Name))
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void StatesCodeLengthBoundsOfTheOptionsGivenFile()
    {
        var code = Schemas.At("VerifyRequest", "properties", "code");

        Assert.Equal(OtpOptions.MinCodeLength, code.GetProperty("minLength").GetInt32());
        Assert.Equal(OtpOptions.MaxCodeLength, code.GetProperty("maxLength").GetInt32());
        Assert.Equal("^[0-9]+$", code.GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task StatesConfiguredCodeLengthGivenServedDocument()
    {
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?> { ["Otp:CodeLength"] = "8" }, listenToQueue: false);

        using var response = await host.Client.GetAsync("openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var served = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var code = served.RootElement.At("components", "schemas", "VerifyRequest", "properties", "code");
        Assert.Equal(8, code.GetProperty("minLength").GetInt32());
        Assert.Equal(8, code.GetProperty("maxLength").GetInt32());
        Assert.Equal("+14155550100", served.RootElement.At("components", "schemas", "SendRequest", "properties", "to", "example").GetString());
    }

    [Theory]
    [InlineData("login")]
    [InlineData("a")]
    [InlineData("sign_up2")]
    [InlineData("abcdefghijabcdefghijabcdefghijab")]
    [InlineData("abcdefghijabcdefghijabcdefghijabc")]
    [InlineData("Login")]
    [InlineData("2fa")]
    [InlineData("sign-up")]
    [InlineData("_x")]
    public void AgreesWithServerGivenPurpose(string purpose)
    {
        var pattern = new Regex(Schemas.At("SendRequest", "properties", "purpose", "pattern").GetString()!, RegexOptions.ECMAScript);

        Assert.Equal(CallerOptions.PurposeShape().IsMatch(purpose), pattern.IsMatch(purpose));
    }

    [Theory]
    [InlineData("sms", "+14155550100", true)]
    [InlineData("sms", "+442071838750", true)]
    [InlineData("sms", "+1415555010012345", false)]
    [InlineData("sms", "14155550100", false)]
    [InlineData("sms", "+0123456789", false)]
    [InlineData("sms", "", false)]
    [InlineData("email", "ada@example.com", true)]
    [InlineData("email", "a.b+tag@mail.example.co.uk", true)]
    [InlineData("email", "ada@localhost", false)]
    [InlineData("email", "ada@@example.com", false)]
    [InlineData("email", "ada @example.com", false)]
    [InlineData("email", "@example.com", false)]
    public void AgreesWithServerGivenDestination(string channel, string to, bool valid)
    {
        var pattern = new Regex(Schemas.At("SendRequest", "properties", "to", "pattern").GetString()!, RegexOptions.ECMAScript);
        var accepted = Destination.TryParse(channel == "sms" ? Channel.Sms : Channel.Email, to, out _, out _);

        Assert.Equal(valid, accepted);
        // The pattern cannot tell a valid number from a well-formed one (libphonenumber can), so it may only be wider.
        Assert.Equal(valid, pattern.IsMatch(to));
    }

    [Fact]
    public void DistinguishesHandshakeFromNotificationGivenDeliveryEventsAnswer()
    {
        var answer = File.Value.RootElement.At("paths", "/events/delivery", "post", "responses", "200", "content", "application/json", "schema");
        var schema = Schemas.GetProperty(answer.GetProperty("$ref").GetString()!.Split('/')[^1]);

        Assert.False(answer.TryGetProperty("oneOf", out _));
        Assert.Equal(1, schema.GetProperty("maxProperties").GetInt32());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["validationResponse", "reports"], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("""{"validationResponse": "512d38b6"}""", true)]
    [InlineData("""{"reports": 0}""", true)]
    [InlineData("""{"reports": 3}""", true)]
    [InlineData("""{}""", false)]
    [InlineData("""{"validationResponse": "512d38b6", "reports": 0}""", false)]
    [InlineData("""{"reports": "0"}""", false)]
    public void ValidatesEachEventGridAnswerGivenDeliveryEventsAnswer(string answer, bool valid)
    {
        var schema = File.Value.RootElement.At("paths", "/events/delivery", "post", "responses", "200", "content", "application/json", "schema");

        Assert.Equal(valid, OpenApiSchema.Errors(File.Value.RootElement, schema, answer).Count == 0);
    }

    [Fact]
    public void RefusesNotificationAnswerGivenTheOldOneOf()
    {
        // The answer schema before issue 19: {"reports": 0} matched both branches, so a validator refused every Notification answer.
        using var old = JsonDocument.Parse("""
            {"oneOf": [{"type": "object", "properties": {"validationResponse": {"type": "string"}}},
                       {"type": "object", "properties": {"reports": {"type": "integer"}}, "required": ["reports"]}]}
            """);

        Assert.NotEmpty(OpenApiSchema.Errors(File.Value.RootElement, old.RootElement, """{"reports": 0}"""));
        Assert.Empty(OpenApiSchema.Errors(File.Value.RootElement, old.RootElement, """{"validationResponse": "512d38b6"}"""));
    }

    [Fact]
    public void ListsEveryErrorCodeTheServerAnswersGivenErrorSchema()
    {
        // Generated clients turn the enum into a type: a code the server answers but the document lacks reads as null
        // (Kiota) or fails a type check (openapi-typescript). The codes are read from the product's source, where each is
        // written once as the second argument of an ApiError.
        var answered = Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, "OtpFunctions"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => ErrorCodeLiteral().Matches(System.IO.File.ReadAllText(path)).Select(match => match.Groups["code"].Value))
            .Distinct()
            .Order(StringComparer.Ordinal);
        var documented = Schemas.At("Error", "properties", "error", "enum").EnumerateArray().Select(code => code.GetString()!).Order(StringComparer.Ordinal);

        Assert.Contains("bot_check_failed", answered);
        Assert.Equal(answered, documented);
    }

    [Fact]
    public void NamesTheServersChannelsGivenEveryChannelEnum()
    {
        var all = ChannelNames.All.Select(channel => channel.ToWire()).ToList();
        var phone = ChannelNames.PhoneChannels.Select(channel => channel.ToWire()).ToList();
        var enums = ObjectSchemas(File.Value.RootElement)
            .SelectMany(schema => schema.GetProperty("properties").EnumerateObject())
            .Where(property => property.Name == "channel" && property.Value.TryGetProperty("enum", out _))
            .Select(property => property.Value.GetProperty("enum").EnumerateArray().Select(name => name.GetString()!).ToList())
            .ToList();

        Assert.True(enums.Count >= 5, $"{enums.Count} channel enums");
        Assert.All(enums, names => Assert.True(names.SequenceEqual(all) || names.SequenceEqual(phone), string.Join(",", names)));
        Assert.Equal(phone, Schemas.At("ResendRequest", "properties", "channel", "enum").EnumerateArray().Select(name => name.GetString()));
        Assert.Equal(phone, Schemas.At("SendRequest", "properties", "fallback", "items", "enum").EnumerateArray().Select(name => name.GetString()));
    }

    [GeneratedRegex(@"new(?: ApiError)?\(\d{3}, ""(?<code>[a-z_]+)""")]
    private static partial Regex ErrorCodeLiteral();

    /// <summary>Every schema with properties, however deeply nested, in components and inline in paths.</summary>
    private static IEnumerable<JsonElement> ObjectSchemas(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            return element.EnumerateArray().SelectMany(ObjectSchemas);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var here = element.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            ? [element]
            : Array.Empty<JsonElement>();
        return here.Concat(element.EnumerateObject().SelectMany(property => ObjectSchemas(property.Value)));
    }
}
