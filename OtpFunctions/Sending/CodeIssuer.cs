using System.Diagnostics;
using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Sending;

/// <summary>
/// Sends codes: a first one (<c>POST /api/otp</c>), another one for an existing challenge (resend), or one another
/// sign-in service generated (relay). Each is admit → save → hand off, three storage round trips in sequence:
/// (1) the caller's budgets, the destination's limit row and the number's prefix are read; (2) the code is stored in
/// one transaction with the destination's counted send while the budgets' units are taken beside it; (3) the code is
/// queued for the delivery function. The queue put stays last: the delivery function must find the challenge it names.
/// </summary>
public sealed class CodeIssuer(SendAdmission admission, PendingCodes pendingCodes, DeliveryHandOff handOff, OtpMetrics metrics, ILogger<CodeIssuer> logger)
{
    public async Task<Result<ChallengeView>> SendAsync(SendRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var admitted = await admission.AdmitNewAsync(request, caller, verifiedHere: true, cancellationToken);
        if (admitted.Error is { } refusal)
        {
            return refusal;
        }

        var sent = await SaveAndHandOffAsync(admitted.Value!, pendingCodes.SaveNewAsync(request, admitted.Value!.Limit, cancellationToken), request.Destination.Normalized, caller, cancellationToken);
        if (sent.Value is { } code)
        {
            Activity.Current?.SetTag("otp.challenge_id", code.Challenge.Id.Value);
            OtpLog.CodeIssued(logger, code.Challenge.Id.Value, code.Challenge.MaskedTo, code.Challenge.Purpose, caller.Name, code.SupersededOld);
        }

        return View(sent);
    }

    /// <summary>
    /// A code another sign-in service generated and checks itself (Supabase): admitted, counted and queued exactly as
    /// a first code of ours, under <paramref name="caller"/>'s budgets, except that the fraud guard does not count it
    /// (it is never verified here, so it would read as unconverted); <paramref name="relayed"/> makes its challenge
    /// in the destination's partition. The relay logs its own line.
    /// </summary>
    public async Task<Result<ChallengeView>> RelayAsync(SendRequest request, Caller caller, Func<string, MintedCode> relayed, CancellationToken cancellationToken)
    {
        var admitted = await admission.AdmitNewAsync(request, caller, verifiedHere: false, cancellationToken);
        return admitted.Error is { } refusal
            ? refusal
            : View(await SaveAndHandOffAsync(admitted.Value!, pendingCodes.SaveRelayedAsync(relayed, admitted.Value!.Limit, cancellationToken), request.Destination.Normalized, caller, cancellationToken));
    }

    /// <param name="switchTo">Another phone channel for this and later codes ("call me instead"); null keeps the channel.</param>
    public async Task<Result<ChallengeView>> ResendAsync(string id, Caller caller, Channel? switchTo, CancellationToken cancellationToken)
    {
        // Refused cheaply (state, cooldown, destination) before the caller's budgets are read.
        var read = ChallengeId.TryParse(id, out var challengeId) ? await pendingCodes.ReadResendableAsync(challengeId, cancellationToken) : ApiError.NotFound();
        if (read.Error is { } refusal)
        {
            return refusal;
        }

        var (challenge, limit) = read.Value;
        if (switchTo is { } channel && !challenge.Channel.IsPhone())
        {
            return ApiError.InvalidRequest($"A code sent by {challenge.Channel.ToWire()} cannot switch to {channel.ToWire()}: only the phone channels switch between themselves.");
        }

        challenge = PendingCodes.OnChannel(challenge, switchTo);
        var admitted = await admission.AdmitResendAsync(challenge, limit, caller, cancellationToken);
        if (admitted.Error is { } refused)
        {
            return refused;
        }

        var sent = await SaveAndHandOffAsync(admitted.Value!, pendingCodes.SaveResentAsync(challenge, limit, switchTo, cancellationToken), destination: null, caller, cancellationToken);
        if (sent.Value is { } code)
        {
            OtpLog.CodeResent(logger, code.Challenge.Id.Value, code.Challenge.MaskedTo, caller.Name, code.Challenge.CodeVersion);
        }

        return View(sent);
    }

    /// <summary>
    /// Waits for the code to be stored (<paramref name="saving"/>) and the budgets' units to be taken, then queues it.
    /// A send that ends before its hand-off (the destination refused after all, a budget filled in a race, a storage
    /// fault) gives its units back; a code stored but never queued says so on its status row. A hand-off that failed
    /// keeps them: its queue put may have gone through unanswered, and the ceiling must hold even then.
    /// </summary>
    private async Task<Result<SavedCode>> SaveAndHandOffAsync(AdmittedSend admitted, Task<Result<SavedCode>> saving, string? destination, Caller caller, CancellationToken cancellationToken)
    {
        var handingOff = false;
        try
        {
            var saved = await saving;
            if (saved.Error is { } refusal)
            {
                return refusal;
            }

            var code = saved.Value!;
            if (await SpentAsync(admitted.BudgetSpend, code.Challenge) is { } full)
            {
                return full;
            }

            handingOff = true;
            await handOff.HandOffAsync(code.Challenge, code.Minted.Code, destination, cancellationToken);
            metrics.Sent(code.Challenge.Channel.ToWire(), code.Challenge.Purpose, caller.Name);
            return code;
        }
        finally
        {
            if (!handingOff)
            {
                await GiveBackAsync(admitted.BudgetSpend);
            }
        }
    }

    /// <summary>
    /// Null once every budget's unit is taken. Otherwise the stored code never leaves and its status row says so: a
    /// budget's ceiling was reached by a racing send (its 429), or a take failed (thrown on, a 503).
    /// </summary>
    private async Task<ApiError?> SpentAsync(Task<BudgetSpend> spending, Challenge challenge)
    {
        try
        {
            if ((await spending).Error is not { } full)
            {
                return null;
            }

            await handOff.MarkNotQueuedAsync(challenge);
            return full;
        }
        catch
        {
            await handOff.MarkNotQueuedAsync(challenge);
            throw;
        }
    }

    private static async Task GiveBackAsync(Task<BudgetSpend> spending)
    {
        // The takes may have failed themselves (their own give-back ran then) or still be running when the save threw.
        await ((Task)spending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (spending.IsCompletedSuccessfully)
        {
            await spending.Result.GiveBackAsync(CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static Result<ChallengeView> View(Result<SavedCode> sent) => sent.Error is { } error ? error : sent.Value!.View;
}
