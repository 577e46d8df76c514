using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OtpFunctions.Telemetry;

namespace OtpFunctions.Entra;

/// <summary>
/// Validates the bearer token Entra sends with each custom extension call, as Entra documents it: signed by a
/// key from the tenant's OpenID metadata (cached, refreshed when an unknown key id appears), issued by the
/// tenant, for our app (<c>aud</c>), by Entra's extensions service (<c>azp</c>/<c>appid</c>), and unexpired.
/// </summary>
public sealed class EntraTokenValidator : IDisposable
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ForcedRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly EntraOptions options;
    private readonly HttpClient? http;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? metadata;
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };
    private readonly ILogger<EntraTokenValidator> logger;
    private readonly SemaphoreSlim refreshLock = new(1, 1);
    private OpenIdConnectConfiguration? forced;
    private long forcedAt;

    public EntraTokenValidator(IOptions<EntraOptions> options, ILogger<EntraTokenValidator> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        if (!this.options.Enabled)
        {
            return;
        }

        // Entra gives the whole call two seconds: a metadata fetch that hangs must not take all of it.
        http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var address = this.options.MetadataAddress;
        metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            address.AbsoluteUri,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http) { RequireHttps = address.Scheme == Uri.UriSchemeHttps });
    }

    /// <summary>Reads the metadata and keys ahead of the first call; false (logged) when they cannot be read yet.</summary>
    public async Task<bool> WarmUpAsync(CancellationToken cancellationToken) =>
        metadata is null || await CachedConfigurationAsync(cancellationToken) is not null;

    public async Task<EntraTokenCheck> CheckAsync(string? authorization, CancellationToken cancellationToken)
    {
        const string scheme = "Bearer ";
        if (metadata is null || authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || authorization.Length == scheme.Length)
        {
            return Refuse("no bearer token");
        }

        var token = authorization[scheme.Length..].Trim();
        return handler.CanReadToken(token) ? await ValidateAsync(token, cancellationToken) : Refuse("not a JWT");
    }

    private async Task<EntraTokenCheck> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (await CachedConfigurationAsync(cancellationToken) is not { } configuration)
        {
            return EntraTokenCheck.MetadataUnavailable;
        }

        var result = await handler.ValidateTokenAsync(token, Parameters(configuration));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Entra rolls its keys: a token signed with a key newer than our cached set is checked once more
            // against keys read now (the manager itself refreshes in the background, too late for this call).
            if (await FreshConfigurationAsync(cancellationToken) is not { } fresh)
            {
                return EntraTokenCheck.MetadataUnavailable;
            }

            result = await handler.ValidateTokenAsync(token, Parameters(fresh));
        }

        if (!result.IsValid)
        {
            // The exception's type names the failed check (audience, issuer, lifetime, signature); its message could carry claims.
            return Refuse(result.Exception?.GetType().Name ?? "invalid token");
        }

        return IsFromAuthorizedParty((JsonWebToken)result.SecurityToken) ? EntraTokenCheck.Valid : Refuse("azp/appid is not the configured authorized party");
    }

    private bool IsFromAuthorizedParty(JsonWebToken jwt)
    {
        var caller = jwt.TryGetPayloadValue<string>("azp", out var azp) ? azp : jwt.TryGetPayloadValue<string>("appid", out var appId) ? appId : null;
        return string.Equals(caller, options.AuthorizedPartyOrDefault, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The metadata as the manager caches it; null (logged) when it cannot be read.</summary>
    private async Task<OpenIdConnectConfiguration?> CachedConfigurationAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await metadata!.GetConfigurationAsync(cancellationToken);
        }
        catch (Exception exception) when (IsUnreadable(exception))
        {
            OtpLog.EntraMetadataUnavailable(logger, options.MetadataAddress.AbsoluteUri, exception.GetType().Name);
            return null;
        }
    }

    /// <summary>
    /// The tenant's metadata read directly, at most once per <see cref="ForcedRefreshInterval"/>: tokens with made-up
    /// key ids cannot make us hammer the tenant. Null (logged) when it cannot be read.
    /// </summary>
    private async Task<OpenIdConnectConfiguration?> FreshConfigurationAsync(CancellationToken cancellationToken)
    {
        await refreshLock.WaitAsync(cancellationToken);
        try
        {
            if (forced is not null && Environment.TickCount64 - forcedAt < (long)ForcedRefreshInterval.TotalMilliseconds)
            {
                return forced;
            }

            var address = options.MetadataAddress;
            forced = await OpenIdConnectConfigurationRetriever.GetAsync(address.AbsoluteUri, new HttpDocumentRetriever(http) { RequireHttps = address.Scheme == Uri.UriSchemeHttps }, cancellationToken);
            forcedAt = Environment.TickCount64;
            metadata!.RequestRefresh();
            return forced;
        }
        catch (Exception exception) when (IsUnreadable(exception))
        {
            OtpLog.EntraMetadataUnavailable(logger, options.MetadataAddress.AbsoluteUri, exception.GetType().Name);
            return null;
        }
        finally
        {
            refreshLock.Release();
        }
    }

    private static bool IsUnreadable(Exception exception) => exception is InvalidOperationException or HttpRequestException or IOException;

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration) => new()
    {
        // The metadata's issuer is the tenant's own name for itself; the configured authority is accepted too,
        // since External ID tenants answer on both {tenant}.ciamlogin.com and {tenant id}.ciamlogin.com.
        ValidIssuers = new[] { configuration.Issuer, options.Authority!.Trim() }.Where(issuer => !string.IsNullOrEmpty(issuer)).Select(issuer => issuer.TrimEnd('/')).Distinct(StringComparer.Ordinal).ToArray(),
        IssuerValidator = (issuer, _, parameters) => parameters.ValidIssuers.Contains(issuer.TrimEnd('/'), StringComparer.Ordinal)
            ? issuer
            : throw new SecurityTokenInvalidIssuerException("The token's issuer is not the configured tenant."),
        ValidAudience = options.Audience!.Trim(),
        IssuerSigningKeys = configuration.SigningKeys,
        // Entra signs with RS256; accepting nothing else closes the door on algorithm confusion.
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = ClockSkew,
    };

    private EntraTokenCheck Refuse(string reason)
    {
        OtpLog.EntraTokenRefused(logger, reason);
        return EntraTokenCheck.Refused;
    }

    public void Dispose()
    {
        http?.Dispose();
        refreshLock.Dispose();
    }
}
