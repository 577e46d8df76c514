using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Http;

namespace OtpFunctions.Supabase;

/// <summary>
/// <c>POST /api/hooks/supabase/send-sms</c> and <c>/send-email</c>: Supabase Auth's Send SMS and Send Email HTTP hooks.
/// Anonymous at the Functions level because Supabase authenticates each request with its Standard Webhooks signature,
/// checked before the payload is read.
/// </summary>
public sealed class SupabaseHookFunctions(SupabaseHooks hooks, SmsHookChannel smsChannel, ApiGuard guard)
{
    [Function("SupabaseSendSms")]
    public Task<IActionResult> SendSms([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "hooks/supabase/send-sms")] HttpRequest request, CancellationToken cancellationToken) =>
        RunAsync(SupabaseHooks.SendSms, request, root => SendSmsHook.Parse(root, smsChannel.Channel), cancellationToken);

    [Function("SupabaseSendEmail")]
    public Task<IActionResult> SendEmail([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "hooks/supabase/send-email")] HttpRequest request, CancellationToken cancellationToken) =>
        RunAsync(SupabaseHooks.SendEmail, request, SendEmailHook.Parse, cancellationToken);

    private async Task<IActionResult> RunAsync(string hook, HttpRequest request, Func<JsonElement, Result<IReadOnlyList<HookMessage>>> parse, CancellationToken cancellationToken) =>
        HookAnswer.From(await guard.RunAsync(
            "supabase-" + hook,
            async () => await hooks.HandleAsync(hook, request, parse, cancellationToken) is { } refusal ? HookAnswer.From(refusal) : HookAnswer.Queued,
            cancellationToken));
}
