// Key Vault in RBAC mode holding the OTP service's three keys. Values come in as secure
// parameters; each deployment with a new value adds a secret version (that is how to rotate).
param location string
param tags object
param name string

@secure()
param otpPepper string

@secure()
param otpEncryptionKey string

@secure()
param otpSigningKey string

@description('Whether a bot check is configured: then its secret is stored (an empty one stops the app at start-up, naming the key).')
param botCheckEnabled bool = false

@secure()
param botCheckSecret string = ''

@description('Log Analytics workspace that receives the vault audit events.')
param logAnalyticsWorkspaceId string

@description('Private networking: the vault answers only its private endpoint.')
param privateNetworking bool = false
@description('How many webhook endpoints there are; their secrets are otp-webhook-endpoint1, -endpoint2, ….')
param webhookCount int = 0

@secure()
param webhookSecrets object = {}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    // The secrets below are written through Azure Resource Manager (control plane), which the vault
    // firewall does not filter; the app reads them (Key Vault references) through the private endpoint.
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
  }
}

resource pepper 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'otp-pepper'
  properties: {
    value: otpPepper
    contentType: 'base64, 32 random bytes'
  }
}

resource encryptionKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'otp-encryption-key'
  properties: {
    value: otpEncryptionKey
    contentType: 'base64, 32 random bytes'
  }
}

resource signingKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'otp-signing-key'
  properties: {
    value: otpSigningKey
    contentType: 'base64, 32 random bytes'
  }
}

// Every read of a secret (each Key Vault reference refresh) and every change, with the caller's identity.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    // Resource-specific table AZKVAuditLogs rather than the shared AzureDiagnostics (docs/deploy.md queries it).
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

resource botCheck 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (botCheckEnabled) {
  parent: vault
  name: 'otp-bot-check-secret'
  properties: {
    value: botCheckSecret
    contentType: 'bot-check provider secret (Turnstile, hCaptcha or reCAPTCHA)'
  }
}

resource webhookSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for i in range(0, webhookCount): {
  parent: vault
  name: 'otp-webhook-endpoint${i + 1}'
  properties: {
    value: webhookSecrets['endpoint${i + 1}']
    contentType: 'whsec_ + base64 of 24-64 random bytes'
  }
}]

output name string = vault.name
output id string = vault.id
// Versionless URIs: a Key Vault reference built on them resolves to the newest version.
output pepperSecretUri string = pepper.properties.secretUri
output encryptionKeySecretUri string = encryptionKey.properties.secretUri
output signingKeySecretUri string = signingKey.properties.secretUri
output botCheckSecretUri string = botCheckEnabled ? botCheck!.properties.secretUri : ''
output webhookSecretUris array = [for i in range(0, webhookCount): webhookSecret[i].properties.secretUri]
