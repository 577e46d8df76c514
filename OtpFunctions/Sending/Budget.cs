using OtpFunctions.Challenges;

namespace OtpFunctions.Sending;

/// <summary>One budget: the partition its count lives in, how many sends it holds per window, and the limit it answers for.</summary>
public sealed record Budget(RateLimitScope Scope, string PartitionKey, int Limit, TimeSpan Window);

/// <summary>
/// A budget a send must spend, as pools tried in order: a global budget is two pools (the anonymous share and the
/// rest), and a keyed caller may draw on the anonymous pool once its own is empty.
/// </summary>
public sealed record BudgetNeed(RateLimitScope Scope, IReadOnlyList<Budget> Pools);
