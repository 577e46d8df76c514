using System.Text;
using Microsoft.AspNetCore.Http;
using OtpFunctions.Http;
using OtpFunctions.Verifying;

namespace OtpFunctions.Tests.Verifying;

/// <summary>Which verify bodies are read as a code, as a plain object on a <see cref="DefaultHttpContext"/>: anything else is a 400 that says why.</summary>
public sealed class VerifyRequestTests
{
    [Fact]
    public async Task ReadsACodeOfExactlyTheConfiguredDigits()
    {
        var parsed = VerifyRequest.Parse(await BodyAsync("""{"code":"0482910"}"""), codeLength: 7);

        Assert.Equal("0482910", parsed.Value);
    }

    [Theory]
    [InlineData("""{"code":"48291"}""", "code must be exactly 6 digits.")]
    [InlineData("""{"code":"4829100"}""", "code must be exactly 6 digits.")]
    [InlineData("""{"code":" 48291"}""", "code must be exactly 6 digits.")]
    [InlineData("""{"code":"48291a"}""", "code must be exactly 6 digits.")]
    [InlineData("""{"code":"٤٨٢٩١٠"}""", "code must be exactly 6 digits.")]
    [InlineData("""{"code":"４８２９１０"}""", "code must be exactly 6 digits.")]
    [InlineData("""{"code":482910}""", "code must be a string.")]
    [InlineData("""{"code":null}""", "code is required.")]
    [InlineData("""{"otp":"482910"}""", "code is required.")]
    public async Task RefusesWith400NamingTheRuleGivenAnythingButTheDigits(string json, string message)
    {
        var parsed = VerifyRequest.Parse(await BodyAsync(json), codeLength: 6);

        Assert.Null(parsed.Value);
        Assert.Equal((400, "invalid_request", message), (parsed.Error?.Status, parsed.Error?.Code, parsed.Error?.Message));
    }

    [Fact]
    public async Task RefusesAnOverlongCodeBeforeLookingAtItsDigits()
    {
        var parsed = VerifyRequest.Parse(await BodyAsync($$"""{"code":"{{new string('1', 65)}}"}"""), codeLength: 6);

        Assert.Equal("code must be at most 64 characters.", parsed.Error?.Message);
    }

    private static async Task<JsonBody> BodyAsync(string json)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var body = await JsonBody.ReadAsync(context.Request, CancellationToken.None);
        Assert.Null(body.Error);
        return body.Value!;
    }
}
