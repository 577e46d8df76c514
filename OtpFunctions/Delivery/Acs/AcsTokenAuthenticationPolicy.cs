using System.Runtime.CompilerServices;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OtpFunctions.Delivery.Acs;

/// <summary>
/// Entra ID bearer tokens for ACS. Azure.Core's BearerTokenAuthenticationPolicy refuses plain-HTTP
/// endpoints, which rules out the loopback fakes local runs and tests use, hence this small policy.
/// </summary>
public sealed class AcsTokenAuthenticationPolicy(TokenCredential credential, TimeProvider timeProvider) : HttpPipelinePolicy
{
    /// <summary>The scope the official ACS SDKs request (the double slash is theirs).</summary>
    public const string Scope = "https://communication.azure.com//.default";

    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private static readonly TokenRequestContext Context = new([Scope]);

    // A race between two refreshes costs one extra token request, which the credential caches anyway.
    private volatile StrongBox<AccessToken>? _token;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var token = Cached() ?? Store(credential.GetToken(Context, message.CancellationToken));
        Authorize(message, token);
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var token = Cached() ?? Store(await credential.GetTokenAsync(Context, message.CancellationToken).ConfigureAwait(false));
        Authorize(message, token);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
    }

    private static void Authorize(HttpMessage message, AccessToken token) =>
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, $"Bearer {token.Token}");

    private AccessToken? Cached() =>
        _token is { } box && box.Value.ExpiresOn - RefreshMargin > timeProvider.GetUtcNow() ? box.Value : null;

    private AccessToken Store(AccessToken token)
    {
        _token = new StrongBox<AccessToken>(token);
        return token;
    }
}
