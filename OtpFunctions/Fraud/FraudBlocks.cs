using OtpFunctions.Storage;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Fraud;

/// <summary>The operators' view of the fraud guard: the blocks in force, and lifting one (the prefix is then judged afresh).</summary>
public sealed class FraudBlocks(PrefixStore store, BlockIndex index, TimeProvider time, ILogger<FraudBlocks> logger)
{
    public Task<IReadOnlyList<BlockView>> ListAsync(CancellationToken cancellationToken) => index.ListAsync(time.GetUtcNow(), cancellationToken);

    /// <summary>Ends the block of <paramref name="prefixText"/> now; sends before now are never judged again.</summary>
    public async Task<Result<string>> LiftAsync(string? prefixText, CancellationToken cancellationToken)
    {
        if (!PhonePrefix.TryParse(prefixText, out var prefix))
        {
            return ApiError.InvalidRequest("prefix must be a number prefix as listed, such as +234803.");
        }

        for (var round = 0; ; round++)
        {
            var (block, etag) = await store.ReadBlockAsync(prefix, cancellationToken);
            var now = time.GetUtcNow();
            if (block is not { Enforced: true } || !block.IsActive(now))
            {
                return new ApiError(404, "not_found", $"The prefix {prefix} is not blocked.");
            }

            if (await store.TryWriteBlockAsync(prefix, block with { Until = now, JudgedFrom = now }, etag, cancellationToken))
            {
                await index.RemoveAsync(prefix, cancellationToken);
                OtpLog.PrefixLifted(logger, prefix);
                return prefix;
            }

            await Contention.LostRaceAsync(round, cancellationToken);
        }
    }
}
