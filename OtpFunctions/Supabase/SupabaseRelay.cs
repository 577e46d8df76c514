using OtpFunctions.Callers;
using OtpFunctions.Sending;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Supabase;

/// <summary>
/// Hands Supabase's codes to our delivery path as our own first codes travel, under the same rules (the phone
/// channels' countries, the destination's send limit, the budgets; Supabase counts as the server caller
/// <see cref="CallerName"/>): a relayed challenge saved with the destination's counted send, then the sealed code on
/// the delivery queue, whose function renders the template and sends it with retries and status.
/// </summary>
public sealed class SupabaseRelay(CodeIssuer issuer, CodeMinter minter, ILogger<SupabaseRelay> logger)
{
    /// <summary>The purpose of every Supabase code: its metrics label and its phone template, <c>sms/{locale}/supabase.txt.liquid</c>.</summary>
    public const string Purpose = "supabase";

    /// <summary>The caller Supabase's sends count as, in budgets, metrics and logs.</summary>
    public const string CallerName = "supabase";

    private static readonly Caller Supabase = new(new ServerCallerOptions { Name = CallerName }, ClientIp: null);

    /// <summary>Queues each message in turn; the first refusal (a limit, a country) stops there and is the answer.</summary>
    public async Task<ApiError?> RelayAsync(IReadOnlyList<HookMessage> messages, string hook, CancellationToken cancellationToken)
    {
        using var activity = OtpTelemetry.Source.StartActivity("otp.supabase.relay");
        foreach (var message in messages)
        {
            var relayed = await issuer.RelayAsync(
                new SendRequest(message.Destination, Purpose, message.Locale),
                Supabase,
                partitionKey => minter.Relayed(message.Destination, message.Code, Purpose, message.Locale, message.Template, partitionKey),
                cancellationToken);
            if (relayed.Error is { } refusal)
            {
                return refusal;
            }

            activity?.SetTag("otp.challenge_id", relayed.Value!.Id);
            OtpLog.SupabaseCodeRelayed(logger, hook, relayed.Value!.Id, message.Destination.Masked, message.Template ?? Purpose, message.Locale);
        }

        return null;
    }
}
