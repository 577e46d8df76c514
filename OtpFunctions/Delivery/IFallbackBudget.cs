using OtpFunctions.Challenges;

namespace OtpFunctions.Delivery;

/// <summary>
/// What a fallback try must pass before it goes, as a send does: the fraud guard's block on the number's prefix and
/// the phone budgets (country, global). Implemented where those live (Sending/), so delivery depends on this seam
/// rather than on the send path.
/// </summary>
public interface IFallbackBudget
{
    /// <returns>Null when the try may go (and was counted); otherwise why it may not (a blocked prefix, a full budget).</returns>
    Task<string?> TrySpendAsync(Challenge challenge, CancellationToken cancellationToken);
}
