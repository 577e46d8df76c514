using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OtpFunctions.LoadTest.OpenLoop;

/// <summary>
/// A loopback stand-in for Azure Communication Services (<c>POST /sms</c>, <c>POST /emails:send</c>) that
/// accepts every message at once and reports who it was for, what it said and when it arrived. The service
/// under test runs its real ACS providers against it, in process or in the real Functions host alike, so
/// "provider call received" is observed the same way for both.
/// </summary>
public sealed class ProviderSink : IAsyncDisposable
{
    private readonly WebApplication app;

    private ProviderSink(WebApplication app, Action<string, string, long> arrived)
    {
        this.app = app;
        Arrived = arrived;
    }

    /// <summary>(destination, message text, Stopwatch timestamp of arrival).</summary>
    public Action<string, string, long> Arrived { get; }

    public byte[] AccessKey { get; } = RandomNumberGenerator.GetBytes(32);

    public string ConnectionString => $"endpoint={app.Urls.Single()}/;accesskey={Convert.ToBase64String(AccessKey)}";

    public static async Task<ProviderSink> StartAsync(Action<string, string, long> arrived)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var sink = new ProviderSink(app, arrived);
        app.MapPost("/sms", (Delegate)sink.SmsAsync);
        app.MapPost("/emails:send", (Delegate)sink.EmailAsync);
        await app.StartAsync();
        return sink;
    }

    private async Task<IResult> SmsAsync(HttpContext context)
    {
        var arrivedAt = Stopwatch.GetTimestamp();
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var to = body.RootElement.GetProperty("smsRecipients")[0].GetProperty("to").GetString()!;
        Arrived(to, body.RootElement.GetProperty("message").GetString()!, arrivedAt);
        return Results.Json(new { value = new[] { new { to, messageId = Guid.NewGuid().ToString("N"), httpStatusCode = 202, successful = true } } }, statusCode: 202);
    }

    private async Task<IResult> EmailAsync(HttpContext context)
    {
        var arrivedAt = Stopwatch.GetTimestamp();
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var to = body.RootElement.GetProperty("recipients").GetProperty("to")[0].GetProperty("address").GetString()!;
        Arrived(to, body.RootElement.GetProperty("content").GetProperty("plainText").GetString()!, arrivedAt);
        var operationId = context.Request.Headers["Operation-Id"].ToString();
        context.Response.Headers["Operation-Location"] = $"{app.Urls.Single()}/emails/operations/{operationId}";
        return Results.Json(new { id = operationId, status = "Running" }, statusCode: 202);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
