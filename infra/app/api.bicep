// The OTP Functions app on the Flex Consumption plan (FC1), .NET 10 isolated worker, running as
// a user-assigned identity: host storage, app storage, Key Vault references and ACS all use it.
param location string
param tags object
param planName string
param name string
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
param pepperSecretUri string
param encryptionKeySecretUri string
param signingKeySecretUri string
param botCheckProvider string = 'None'
param botCheckSiteKey string = ''
param botCheckHostnames string = ''
@description('Versionless Key Vault URI of the bot-check secret; empty when there is none.')
param botCheckSecretUri string = ''
param acsEndpoint string
param smsFrom string
param whatsAppChannelRegistrationId string = ''
param whatsAppTemplateName string = 'otp_code'
param whatsAppTemplateLanguages string = 'en:en_US,es:es,fr:fr'
param voiceCallerId string = ''
param voiceCognitiveServicesEndpoint string = ''
param emailFrom string
param deliveryQueueName string
param webhookQueueName string
param sweepSchedule string

@description('Webhook endpoints: [{ url, events, secretUri }], at most three (endpoint1..endpoint3); unused slots stay empty, which the app reads as off.')
@maxLength(3)
param webhooks array = []

@minLength(1)
param smsAllowedCountryCodes string
@minValue(1)
param maxSmsPerHour int
@minValue(1)
param maxEmailsPerHour int

@description('Subnet (delegated to Microsoft.App/environments) for outbound VNet integration; empty: none.')
param virtualNetworkSubnetId string = ''

@description('Browser origins allowed to call the API (CORS); empty allows none.')
param allowedOrigins array = []

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

// Flex Consumption accepts 1: the lowest ceiling is the operator's hard cost cap (docs/deploy.md).
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

// Read here rather than passed in, so the connection string is never a deployment output.
resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the app's user-assigned identity, not a system one.
    keyVaultReferenceIdentity: identityId
    // Outbound through the VNet (private endpoints of storage and Key Vault), as the Flex quickstart does.
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      cors: {
        allowedOrigins: allowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}


resource appSettingsConfig 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // Host storage through the identity (no connection string, shared keys are off).
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table

    // The app's tables and delivery queue, same account, same identity.
    OtpStorage__credential: 'managedidentity'
    OtpStorage__clientId: identityClientId
    OtpStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    OtpStorage__queueServiceUri: storage.properties.primaryEndpoints.queue

    Otp__Secrets__Pepper: '@Microsoft.KeyVault(SecretUri=${pepperSecretUri})'
    Otp__Secrets__EncryptionKey: '@Microsoft.KeyVault(SecretUri=${encryptionKeySecretUri})'
    Otp__Secrets__SigningKey: '@Microsoft.KeyVault(SecretUri=${signingKeySecretUri})'
    Otp__BotCheck__Provider: botCheckProvider
    Otp__BotCheck__SiteKey: botCheckSiteKey
    Otp__BotCheck__Hostnames: botCheckHostnames
    Otp__BotCheck__Secret: empty(botCheckSecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${botCheckSecretUri})'

    // Endpoint without an access key: the senders authenticate with the managed identity.
    // A phone number can only be bought once ACS exists, so until smsFrom is set SMS is "None":
    // the app starts, /api/health shows SMS as not configured and an SMS send answers 400.
    Otp__Delivery__Sms__Provider: empty(smsFrom) ? 'None' : 'Acs'
    Otp__Delivery__Sms__Endpoint: acsEndpoint
    Otp__Delivery__Sms__From: smsFrom
    // WhatsApp and voice, like SMS, stay "None" (not_configured) until their ACS channel or number exists, and use
    // the same endpoint and identity. ACS calls voice back on the app's own host name.
    Otp__Delivery__WhatsApp__Provider: empty(whatsAppChannelRegistrationId) ? 'None' : 'Acs'
    Otp__Delivery__WhatsApp__Endpoint: acsEndpoint
    Otp__Delivery__WhatsApp__ChannelRegistrationId: whatsAppChannelRegistrationId
    Otp__Delivery__WhatsApp__TemplateName: whatsAppTemplateName
    Otp__Delivery__WhatsApp__TemplateLanguages: whatsAppTemplateLanguages
    Otp__Delivery__Voice__Provider: empty(voiceCallerId) ? 'None' : 'Acs'
    Otp__Delivery__Voice__Endpoint: acsEndpoint
    Otp__Delivery__Voice__From: voiceCallerId
    Otp__Delivery__Voice__CognitiveServicesEndpoint: voiceCognitiveServicesEndpoint
    Otp__PublicBaseUrl: 'https://${functionApp.properties.defaultHostName}'
    // SMS budgets fail closed: the app does not start with SMS but without these.
    Otp__Sms__AllowedCountryCodes: smsAllowedCountryCodes
    Otp__MaxSendsGlobal: string(maxSmsPerHour)
    Otp__GlobalWindow: '01:00:00'
    // Email budget fails closed too: below the domain's quota, so the quota never runs out before the budget does.
    Otp__Email__MaxSendsGlobal: string(maxEmailsPerHour)
    Otp__Email__GlobalWindow: '01:00:00'
    Otp__Delivery__Email__Provider: 'Acs'
    Otp__Delivery__Email__Endpoint: acsEndpoint
    Otp__Delivery__Email__From: emailFrom
    // Trigger bindings read these (%OTP_DELIVERY_QUEUE%, %OTP_WEBHOOK_QUEUE%, %OTP_SWEEP_SCHEDULE%): flat
    // names, no colons, so the Flex scale controller resolves them exactly as the host does.
    OTP_DELIVERY_QUEUE: deliveryQueueName
    OTP_WEBHOOK_QUEUE: webhookQueueName
    OTP_SWEEP_SCHEDULE: sweepSchedule
    Otp__ManagedIdentityClientId: identityClientId

    // Webhooks to app backends: fixed slots, since app setting names cannot be computed here.
    Otp__Webhooks__endpoint1__Url: webhooks[?0].?url ?? ''
    Otp__Webhooks__endpoint1__Events: webhooks[?0].?events ?? ''
    Otp__Webhooks__endpoint1__Secret: empty(webhooks) ? '' : '@Microsoft.KeyVault(SecretUri=${webhooks[?0].?secretUri ?? ''})'
    Otp__Webhooks__endpoint2__Url: webhooks[?1].?url ?? ''
    Otp__Webhooks__endpoint2__Events: webhooks[?1].?events ?? ''
    Otp__Webhooks__endpoint2__Secret: length(webhooks) < 2 ? '' : '@Microsoft.KeyVault(SecretUri=${webhooks[?1].?secretUri ?? ''})'
    Otp__Webhooks__endpoint3__Url: webhooks[?2].?url ?? ''
    Otp__Webhooks__endpoint3__Events: webhooks[?2].?events ?? ''
    Otp__Webhooks__endpoint3__Secret: length(webhooks) < 3 ? '' : '@Microsoft.KeyVault(SecretUri=${webhooks[?2].?secretUri ?? ''})'

    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    // The host sends telemetry with an Entra token for this identity, so local auth can stay off.
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    // Both exporters (the host's requests and dependencies, the worker's spans) otherwise keep about 5 traces a
    // second and drop the rest: request counts and the 5xx alert would undercount under load. Keep every trace and
    // cap cost at ingestion instead (docs/monitoring.md, "Sampling and cost").
    OTEL_TRACES_SAMPLER: 'microsoft.fixed_percentage'
    OTEL_TRACES_SAMPLER_ARG: '1.0'
    AZURE_FUNCTIONS_ENVIRONMENT: 'Production'
  }
}

// No FunctionAppLogs diagnostic setting: app lines would reach the workspace twice, once there (as the host
// forwarded them: category Function.<Name>.User, event id 0) and once through the worker's own OpenTelemetry
// export to Application Insights (with their EventIds, structured fields and trace ids, which the workbook,
// alerts and docs/monitoring.md's queries read). In OpenTelemetry mode the host exports its own lines (start-up,
// Key Vault references, triggers) to Application Insights too, so that one path has everything.
// Basic-auth publishing (FTP and Kudu/SCM) is off; deployments go through Entra ID (azd, az, func).
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = functionApp.name
output id string = functionApp.id
output planName string = plan.name
output defaultHostName string = functionApp.properties.defaultHostName
