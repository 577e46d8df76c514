using Azure.Core;
using Azure.Identity;

namespace OtpFunctions.Configuration;

/// <summary>
/// The one place a <see cref="TokenCredential"/> is made for storage, ACS and Azure Monitor: a user-assigned
/// managed identity when a client id is configured (the connection's own, else <c>Otp:ManagedIdentityClientId</c>),
/// otherwise <see cref="DefaultAzureCredential"/>.
/// </summary>
public sealed class AzureCredentials(IOptions<OtpOptions> options)
{
    /// <summary>The credential for a connection, preferring the client id that connection names.</summary>
    public TokenCredential For(string? connectionClientId = null) => Create(connectionClientId ?? options.Value.ManagedIdentityClientId);

    /// <summary>The configured identity only: Azure Monitor falls back to its connection string's key without one.</summary>
    public TokenCredential? ManagedIdentityOrNull() =>
        string.IsNullOrWhiteSpace(options.Value.ManagedIdentityClientId) ? null : Create(options.Value.ManagedIdentityClientId);

    public static TokenCredential Create(string? clientId) =>
        string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
}
