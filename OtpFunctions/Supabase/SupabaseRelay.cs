using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Http;
using OtpFunctions.Sending;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Supabase;

/// <summary>
/// Hands Supabase's codes to our delivery path as our own codes travel, under the same rules: the country allow-list,
/// the destination's send limit and the budgets are checked and counted (Supabase is a server caller named
/// <see cref="CallerName"/>), the challenge is saved with the destination's counted send, and the sealed code goes
/// on the delivery queue, whose function renders the template and sends it with retries and status.
/// </summary>
public sealed class SupabaseRelay(
    SendAdmission admission,
    DestinationRule destinations,
    ChallengeStore store,
    SupabaseChallenges challenges,
    ChallengeRules rules,
    SweepFiling sweepFiling,
    CodeHandOff handOff,
    ILogger<SupabaseRelay> logger)
{
    /// <summary>The purpose of every Supabase code: its metrics label and its SMS template, <c>sms/{locale}/supabase.txt.liquid</c>.</summary>
    public const string Purpose = "supabase";

    /// <summary>The caller Supabase's sends count as: a server caller, with a server caller's budget (<c>caller-supabase</c>).</summary>
    public const string CallerName = "supabase";

    private static readonly Caller Supabase = new(new ServerCallerOptions { Name = CallerName }, ClientIp: null);

    /// <summary>Queues each message in turn; the first refusal (a limit, a country) stops there and is the answer.</summary>
    public async Task<ApiError?> RelayAsync(IReadOnlyList<HookMessage> messages, string hook, CancellationToken cancellationToken)
    {
        using var activity = OtpTelemetry.Source.StartActivity("otp.supabase.relay");
        foreach (var message in messages)
        {
            var relayed = await RelayOneAsync(message, cancellationToken);
            if (relayed.Error is { } refusal)
            {
                return refusal;
            }

            activity?.SetTag("otp.challenge_id", relayed.Value!.Id);
            OtpLog.SupabaseCodeRelayed(logger, hook, relayed.Value!.Id, message.Destination.Masked, message.Template ?? Purpose, message.Locale);
        }

        return null;
    }

    private async Task<Result<ChallengeView>> RelayOneAsync(HookMessage message, CancellationToken cancellationToken)
    {
        var admitted = await admission.AdmitNewAsync(new SendRequest(message.Destination, Purpose, message.Locale), Supabase, cancellationToken);
        if (admitted.Error is { } refusal)
        {
            return refusal;
        }

        var (limit, budgetSpend) = admitted.Value!;
        return await sweepFiling.FileUnlessHandedOffAsync(budgetSpend, async () =>
        {
            var saved = await SaveAsync(message, limit, cancellationToken);
            if (saved.Error is { } error)
            {
                return error;
            }

            await handOff.HandOffAsync(saved.Value!, budgetSpend, CallerName, cancellationToken);
            return saved.Value!.View;
        });
    }

    /// <summary>
    /// The challenge and the destination's counted send in one transaction; a lost race reads the limit row again and
    /// decides again. No pending pointer is kept: nothing here can supersede a code Supabase checks.
    /// </summary>
    private async Task<Result<SavedCode>> SaveAsync(HookMessage message, DestinationLimit firstLimit, CancellationToken cancellationToken)
    {
        for (var round = 0; round < ChallengeRules.MaxRounds; round++)
        {
            var limit = round == 0 ? firstLimit : await store.GetDestinationLimitAsync(firstLimit.PartitionKey, cancellationToken);
            if (destinations.Refusal(limit, DestinationRule.FullForNewCode) is { } refusal)
            {
                return refusal;
            }

            var challenge = challenges.New(message, limit.PartitionKey);
            var counted = limit with { Window = limit.Window.Current(challenge.LastSentAt, rules.Limits.SendWindow).Add() };
            if (await store.TrySaveNewChallengeAsync(counted, challenge, supersededId: null, rules.LimitPurgeAt(counted), cancellationToken) == SaveResult.Saved)
            {
                return new SavedCode(new MintedCode(challenge, message.Code), rules.View(challenge, counted.Window), SupersededOld: false);
            }

            await ChallengeRules.BackOffAsync(round, cancellationToken);
        }

        throw new ContentionException();
    }
}
