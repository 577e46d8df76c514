using OtpFunctions.Challenges;
using OtpFunctions.Delivery;

namespace OtpFunctions.Fraud;

/// <summary>
/// What the send path asks of the fraud guard: (1) beside its first reads, is this number's prefix blocked, or does
/// it look pumped now (then it is blocked, or in Monitor mode reported); (2) beside its transaction, count the send.
/// Verifications are counted off the request path (<see cref="VerificationTally"/>).
/// </summary>
public sealed class FraudGuard(PrefixStore store, BlockIndex index, FraudRule rule, FraudAlarm alarm, RateLimits rateLimits, DeliveryProtector protector, TimeProvider time)
{
    /// <summary>A first code: phone numbers only (a calling code); email is never judged. Not <paramref name="counted"/>: its code is checked elsewhere.</summary>
    public async Task<FraudCheck> CheckAsync(Destination destination, bool counted, CancellationToken cancellationToken) =>
        destination.CallingCode is null ? FraudCheck.Unwatched : await CheckPrefixAsync(Watched(destination.Normalized), cancellationToken) with { Counted = counted };

    /// <summary>Another code for <paramref name="challenge"/>: a resend costs what a send does.</summary>
    public Task<FraudCheck> CheckAsync(Challenge challenge, CancellationToken cancellationToken) =>
        challenge.CallingCode is null || !protector.CanOpenDestination(challenge.SealedTo)
            ? Task.FromResult(FraudCheck.Unwatched)
            : CheckPrefixAsync(Watched(protector.OpenDestination(challenge.Id.Value, challenge.SealedTo)), cancellationToken);

    /// <summary>Counts an admitted send for its prefix and files a Monitor report (beside the budgets' takes).</summary>
    public async Task CountAsync(FraudCheck check, CancellationToken cancellationToken)
    {
        if (check.Read is not { } read)
        {
            return;
        }

        var counted = check.Counted ? store.CountAsync(read.Prefix, read.Rows, rule.BucketOf(time.GetUtcNow()), sends: 1, verified: 0, cancellationToken) : Task.CompletedTask;
        var reported = check.Report is { } report ? FileAsync(read, report, cancellationToken) : Task.CompletedTask;
        await Task.WhenAll(counted, reported);
    }

    /// <summary>The prefix to judge, or null when the guard is off or the number exempt (<see cref="FraudRule.Watched"/>).</summary>
    public string? Watched(string e164) => rule.Watched(e164);

    private async Task<FraudCheck> CheckPrefixAsync(string? prefix, CancellationToken cancellationToken)
    {
        if (prefix is null)
        {
            return FraudCheck.Unwatched;
        }

        var read = await store.ReadAsync(prefix, cancellationToken);
        var verdict = rule.Judge(read.State, time.GetUtcNow());
        if (verdict.NewBlock is { Enforced: true } block && await FileAsync(read, block, cancellationToken))
        {
            // The block is in force from here; the operators' list learns of it next.
            await index.AddAsync(prefix, block, cancellationToken);
        }

        return verdict.RefuseFor is { } wait
            ? new FraudCheck(rateLimits.Refuse(RateLimitScope.Prefix, wait, "Codes to numbers in this range are paused for now; wait before asking again."), null, null)
            : new FraudCheck(null, read, verdict.NewBlock);
    }

    /// <summary>Writes a new block or report if the block row is still as read, and raises the alarm; false when another sender filed it first.</summary>
    private async Task<bool> FileAsync(PrefixRead read, PrefixBlock block, CancellationToken cancellationToken)
    {
        var etag = read.Rows.GetValueOrDefault(PrefixStore.BlockRow)?.ETag ?? default;
        var written = await store.TryWriteBlockAsync(read.Prefix, block, etag, cancellationToken);
        if (written)
        {
            alarm.Raise(read.Prefix, block);
        }

        return written;
    }
}
