namespace OtpFunctions.Sessions;

/// <summary>Checks and revokes sessions: a valid signature plus a live session row.</summary>
public sealed class SessionService(SessionTokens tokens, SessionStore store, TimeProvider time)
{
    public async Task<Result<SessionView>> GetAsync(string? authorization, CancellationToken cancellationToken)
    {
        var session = await FindAsync(authorization, cancellationToken);
        return session is null
            ? ApiError.Unauthorized()
            : new SessionView(session.Subject, session.Channel.ToWire(), session.Purpose, session.IssuedAt, session.ExpiresAt);
    }

    public async Task<Result<bool>> RevokeAsync(string? authorization, CancellationToken cancellationToken)
    {
        var identity = await tokens.ValidateAsync(BearerToken(authorization));
        if (identity is not { } id || !await store.DeleteAsync(id.PartitionKey, id.TokenId, cancellationToken))
        {
            return ApiError.Unauthorized();
        }

        return true;
    }

    private async Task<SessionRecord?> FindAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (await tokens.ValidateAsync(BearerToken(authorization)) is not { } id)
        {
            return null;
        }

        var session = await store.GetAsync(id.PartitionKey, id.TokenId, cancellationToken);
        return session is not null && session.ExpiresAt > time.GetUtcNow() ? session : null;
    }

    private static string? BearerToken(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
}

public sealed record SessionView(string Subject, string Channel, string Purpose, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
