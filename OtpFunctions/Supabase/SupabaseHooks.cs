using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OtpFunctions.Delivery;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Supabase;

/// <summary>One hook call: the gate (configured, signed), the payload, the channels it needs, then the relay.</summary>
public sealed class SupabaseHooks(HookGate gate, SupabaseRelay relay, DeliveryChannels channels, ILogger<SupabaseHooks> logger)
{
    public const string SendSms = "send-sms";
    public const string SendEmail = "send-email";

    /// <summary>Null once every code the call asks for is on the delivery queue; otherwise the refusal to answer.</summary>
    public async Task<ApiError?> HandleAsync(string hook, HttpRequest request, Func<JsonElement, Result<IReadOnlyList<HookMessage>>> parse, CancellationToken cancellationToken)
    {
        var opened = await gate.OpenAsync(request, hook, cancellationToken);
        if (opened.Error is { } closed)
        {
            return closed;
        }

        var parsed = parse(opened.Value);
        var refusal = parsed.Error
            ?? Unconfigured(parsed.Value!)
            // Answered once every code is on the delivery queue: a storage failure before that is a 503 Supabase retries.
            ?? await relay.RelayAsync(parsed.Value!, hook, cancellationToken);
        if (refusal is not null)
        {
            // Supabase shows its users a generic error: the reason is in this log (and in the answer's body).
            OtpLog.SupabaseHookRefused(logger, hook, refusal.Status, refusal.Code, refusal.Message);
        }

        return refusal;
    }

    private ApiError? Unconfigured(IReadOnlyList<HookMessage> messages) =>
        messages.Select(message => message.Destination.Channel).Where(channel => !channels.IsConfigured(channel)).Select(channel => ApiError.InvalidRequest(DeliveryChannels.NotConfiguredMessage(channel))).FirstOrDefault();
}
