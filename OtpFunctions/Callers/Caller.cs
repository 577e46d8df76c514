namespace OtpFunctions.Callers;

/// <summary>
/// Who is asking: a server caller named by its API key, or an anonymous client known only by its
/// address (null when the address is unknown).
/// </summary>
public sealed record Caller(ServerCallerOptions? Server, string? ClientIp)
{
    /// <summary>
    /// A sign-in service that hands us its own codes without a budget of its own (<c>entra</c>): trusted like a server
    /// caller, so it may use the part of the global budgets kept from anonymous callers. Supabase's hooks call as the
    /// server caller <c>supabase</c>, which has a budget.
    /// </summary>
    public string? Relay { get; init; }

    /// <summary>The dimension of metrics and logs: configured names only, so series stay bounded.</summary>
    public string Name => Server?.Name ?? Relay ?? "anonymous";

    public static Caller ForRelay(string name) => new(null, null) { Relay = name };

    /// <summary>
    /// Whose Idempotency-Keys these are: two callers choosing the same key never see each other's answer.
    /// An anonymous client is its budget address (an IPv6 client its /64).
    /// </summary>
    public string IdempotencyScope => Server is { } server
        ? "key\n" + server.Name
        : "ip\n" + (ClientIp is null ? "" : Http.ClientIp.SubscriberKey(ClientIp));
}
