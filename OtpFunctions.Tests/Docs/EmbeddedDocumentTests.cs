using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OtpFunctions.Callers;
using OtpFunctions.Docs;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Docs;

public sealed class EmbeddedDocumentTests
{
    [Fact]
    public async Task CarriesTheBuiltJsClientGivenDemoPage()
    {
        var (page, policy) = await RenderAsync(EmbeddedDocument.Demo(new BotCheckOptions()));
        var bundle = await File.ReadAllBytesAsync(Path.Combine(RepoRoot.Path, "clients", "js", "dist", "index.js"));

        // The page imports @otp-functions/client, which its import map resolves to the client this build made.
        Assert.Contains("import { createOtpClient } from \"@otp-functions/client\";", page, StringComparison.Ordinal);
        Assert.Contains($"\"@otp-functions/client\": \"data:text/javascript;base64,{Convert.ToBase64String(bundle)}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("fetch(", page, StringComparison.Ordinal);
        Assert.Contains("script-src 'unsafe-inline' data:;", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OffersOnlyTheConfiguredChannelsAndCallMeInsteadGivenDemoPage()
    {
        var (page, _) = await RenderAsync(EmbeddedDocument.Demo(new BotCheckOptions(), ["sms", "voice"]));

        // The page reads this tag to disable what the deployment cannot send and to offer "call me instead" with voice.
        Assert.Contains("<meta name=\"otp-channels\" content=\"sms,voice\">", page, StringComparison.Ordinal);
        Assert.Contains("otp.resend(challenge.id, { channel: \"voice\" })", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"whatsapp\">WhatsApp</option>", page, StringComparison.Ordinal);
    }

    private static async Task<(string Body, string Policy)> RenderAsync(EmbeddedDocument result)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        return (System.Text.Encoding.UTF8.GetString(body.ToArray()), context.Response.Headers.ContentSecurityPolicy.ToString());
    }
}
