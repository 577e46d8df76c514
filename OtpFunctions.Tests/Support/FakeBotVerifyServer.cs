using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OtpFunctions.Tests.Support;

/// <summary>One verify request as the fake saw it.</summary>
public sealed record FakeBotVerifyRequest(string? ContentType, IReadOnlyDictionary<string, string> Form);

/// <summary>
/// A siteverify look-alike on 127.0.0.1 (Turnstile, hCaptcha and reCAPTCHA share the exchange): reads the
/// form-encoded request, records it, and answers with the status, body and delay it is told.
/// </summary>
public sealed class FakeBotVerifyServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeBotVerifyRequest> requests = new();
    private WebApplication? app;

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    public int Status { get; set; } = 200;

    /// <summary>What each provider answers a good token solved on the tests' page (app.example.com).</summary>
    public string Body { get; set; } = """{"success":true,"error-codes":[],"hostname":"app.example.com"}""";

    /// <summary>hCaptcha's check: when set, a request whose <c>sitekey</c> differs is answered <c>sitekey-secret-mismatch</c>.</summary>
    public string? ExpectedSiteKey { get; set; }

    public TimeSpan Delay { get; set; }

    public IReadOnlyList<FakeBotVerifyRequest> Requests => [.. requests];

    public static async Task<FakeBotVerifyServer> StartAsync()
    {
        var server = new FakeBotVerifyServer();
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange", "false"]);
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        server.app = builder.Build();
        server.app.MapPost("/siteverify", server.HandleAsync);
        await server.app.StartAsync();
        server.Endpoint = new Uri(server.app.Urls.First() + "/siteverify");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync()).ToDictionary(field => field.Key, field => field.Value.ToString())
            : [];
        requests.Enqueue(new FakeBotVerifyRequest(context.Request.ContentType, form));
        if (Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = Status;
        context.Response.ContentType = "application/json";
        var siteKeyMismatch = ExpectedSiteKey is not null && form.GetValueOrDefault("sitekey") != ExpectedSiteKey;
        await context.Response.WriteAsync(siteKeyMismatch ? """{"success":false,"error-codes":["sitekey-secret-mismatch"]}""" : Body);
    }
}
