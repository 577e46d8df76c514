namespace OtpFunctions.Delivery;

/// <summary>
/// The phone budgets a fallback try spends, as a send does (country, global). Implemented where the budgets live
/// (Sending/), so delivery depends on this seam rather than on the send path.
/// </summary>
public interface IFallbackBudget
{
    /// <returns>Null when the try was counted; otherwise why it may not go (a full budget).</returns>
    Task<string?> TrySpendAsync(int callingCode, CancellationToken cancellationToken);
}
