using System.Diagnostics;
using OtpFunctions.Callers;
using OtpFunctions.Challenges;
using OtpFunctions.Delivery;
using OtpFunctions.Http;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Sending;

/// <summary>
/// Sends codes: a first one (<c>POST /api/otp</c>) or a new one for an existing challenge (resend). Three storage
/// round trips in sequence: (1) the client's budgets and the destination's limit row; (2) the budgets counted beside
/// the destination's transaction, which stores the code and supersedes the pending one for the same purpose; (3) the
/// queue put. The queue put stays last: the delivery function must find the challenge it names.
/// </summary>
public sealed class CodeIssuer(SendAdmission admission, PendingCodes pendingCodes, CodeHandOff handOff, SweepFiling sweepFiling, ILogger<CodeIssuer> logger)
{
    public async Task<Result<ChallengeView>> SendAsync(SendRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var admitted = await admission.AdmitNewAsync(request, caller, cancellationToken);
        if (admitted.Error is { } refusal)
        {
            return refusal;
        }

        var (limit, budgetSpend) = admitted.Value!;
        return await sweepFiling.FileUnlessHandedOffAsync(budgetSpend, async () => await HandOffAsync(
            await pendingCodes.SaveNewAsync(request, limit, cancellationToken),
            budgetSpend,
            caller,
            code =>
            {
                Activity.Current?.SetTag("otp.challenge_id", code.Challenge.Id.Value);
                OtpLog.CodeIssued(logger, code.Challenge.Id.Value, code.Challenge.MaskedTo, code.Challenge.Purpose, caller.Name, code.SupersededOld);
            },
            cancellationToken));
    }

    /// <summary>
    /// A code another sign-in service generated and checks itself (Supabase): admitted, counted and queued exactly as
    /// a first code of ours, under <paramref name="caller"/>'s budgets; <paramref name="relayed"/> makes its challenge
    /// in the destination's partition. The relay logs its own line.
    /// </summary>
    public async Task<Result<ChallengeView>> RelayAsync(SendRequest request, Caller caller, Func<string, MintedCode> relayed, CancellationToken cancellationToken)
    {
        var admitted = await admission.AdmitNewAsync(request, caller, cancellationToken);
        if (admitted.Error is { } refusal)
        {
            return refusal;
        }

        var (limit, budgetSpend) = admitted.Value!;
        return await sweepFiling.FileUnlessHandedOffAsync(budgetSpend, async () => await HandOffAsync(
            await pendingCodes.SaveRelayedAsync(relayed, limit, cancellationToken),
            budgetSpend,
            caller,
            static _ => { },
            cancellationToken));
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

        var budgetSpend = admitted.Value!.BudgetSpend;
        return await sweepFiling.FileUnlessHandedOffAsync(budgetSpend, async () => await HandOffAsync(
            await pendingCodes.SaveResentAsync(challenge, limit, switchTo, cancellationToken),
            budgetSpend,
            caller,
            code => OtpLog.CodeResent(logger, code.Challenge.Id.Value, code.Challenge.MaskedTo, caller.Name, code.Challenge.CodeVersion),
            cancellationToken));
    }

    /// <summary>Queues a saved code, then logs it (<paramref name="log"/>) and answers its 202 body.</summary>
    private async Task<Result<ChallengeView>> HandOffAsync(Result<SavedCode> saved, Task<BudgetSpend> budgetSpend, Caller caller, Action<SavedCode> log, CancellationToken cancellationToken)
    {
        if (saved.Error is { } error)
        {
            // The destination refused after the budgets' units were taken beside its transaction: they go back.
            await (await budgetSpend).GiveBackAsync(CancellationToken.None);
            return error;
        }

        if (await handOff.HandOffAsync(saved.Value!, budgetSpend, caller.Name, cancellationToken) is { } refused)
        {
            return refused;
        }

        log(saved.Value!);
        return saved.Value!.View;
    }
}
