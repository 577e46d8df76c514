// The OTP verification service on Azure: Functions (Flex Consumption, .NET 10 isolated),
// storage, Key Vault, Communication Services (SMS + email) and monitoring: nothing that needs the code.
// Event Grid delivery reports are wired once the code is deployed, by infra/delivery-events.bicep.
// Deploy to a resource group: see docs/deploy.md.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Environment name (azd sets AZURE_ENV_NAME); it seeds the unique resource names.')
param environmentName string

@description('Region for every regional resource. Must offer Flex Consumption.')
param location string = resourceGroup().location

@secure()
@minLength(44)
@description('Base64 of at least 32 random bytes (openssl rand -base64 32): keys the hashes of codes and destinations.')
param otpPepper string

@secure()
@minLength(44)
@maxLength(44)
@description('Base64 of exactly 32 random bytes (openssl rand -base64 32): AES-256-GCM key for codes and destinations in flight.')
param otpEncryptionKey string

@secure()
@minLength(44)
@description('Base64 of at least 32 random bytes (openssl rand -base64 32): signs session tokens.')
param otpSigningKey string

@description('ACS phone number (E.164) or alphanumeric sender id for SMS. Empty (the default): SMS is not configured, the app starts with email only. Buy a number in the ACS resource, then redeploy with it.')
param smsFrom string = ''

@description('The WhatsApp channel\'s registration id (a GUID): ACS resource > Channels > WhatsApp, once a WhatsApp Business account is connected (docs/delivery.md). Empty (the default): WhatsApp is not configured, /api/health shows it not_configured and a WhatsApp send answers 400.')
param whatsAppChannelRegistrationId string = ''

@description('The approved WhatsApp authentication template (its body and copy-code button take the code).')
@minLength(1)
param whatsAppTemplateName string = 'otp_code'

@description('Locale to template language pairs the template was approved in (en:en_US,es:es,fr:fr).')
@minLength(1)
param whatsAppTemplateLanguages string = 'en:en_US,es:es,fr:fr'

@description('The voice caller id (E.164): an ACS number with calling capability. Empty (the default): voice is not configured, /api/health shows it not_configured and a voice send answers 400.')
param voiceCallerId string = ''

@description('Endpoint of the Azure AI services resource (custom subdomain) connected to the ACS resource, whose text-to-speech reads codes out. Required for voice to speak: ACS refuses a text play without one (docs/delivery.md).')
param voiceCognitiveServicesEndpoint string = ''

@description('Country calling codes SMS may go to, comma-separated (1,44). The app refuses to start with SMS and no list; 1 (US/Canada) matches the numbers ACS sells.')
@minLength(1)
param smsAllowedCountryCodes string = '1'

@description('SMS the whole service may send per hour (Otp:MaxSendsGlobal): the ceiling on the SMS bill. Size it at about twice the expected peak.')
@minValue(1)
param maxSmsPerHour int = 500

@description('Emails the whole service may send per hour (Otp:Email:MaxSendsGlobal), Entra and Supabase relays included: keep it below the email domain\'s quota (an Azure-managed domain sends 100 per hour until Azure support raises it), or the quota runs out before the budget and every email code waits in retries.')
@minValue(1)
param maxEmailsPerHour int = 80

@description('Private networking: storage and Key Vault behind private endpoints in a new VNet, the app integrated with it.')
param vnetEnabled bool = false

@description('Browser origins allowed to call the API (CORS), e.g. https://app.example.com.')
param allowedOrigins array = []

@description('Bot check on anonymous sends and resends (X-Bot-Token). None: off.')
@allowed([
  'None'
  'Turnstile'
  'HCaptcha'
  'Recaptcha'
])
param botCheckProvider string = 'None'

@description('The bot-check provider\'s public site key (the demo page renders the widget with it).')
param botCheckSiteKey string = ''

@description('The hostnames your pages are served from, comma-separated (*.example.com for any subdomain): a bot-check token solved elsewhere is refused. Required with a provider.')
param botCheckHostnames string = ''

@secure()
@description('The bot-check provider\'s secret; stored in Key Vault and read by the app through a reference. Required with a provider.')
param botCheckSecret string = ''

@description('Where Azure Communication Services keeps data at rest (ACS and its email service alike). Empty (the default): the geography of location, e.g. westeurope -> Europe; a region without a listed geography stops the deployment, naming the regions it knows: then set this.')
@allowed([
  ''
  'Africa'
  'Asia Pacific'
  'Australia'
  'Brazil'
  'Canada'
  'Europe'
  'France'
  'Germany'
  'India'
  'Japan'
  'Korea'
  'Norway'
  'Switzerland'
  'UAE'
  'UK'
  'United States'
])
param communicationDataLocation string = ''

@description('Object id of an operator (user or group) to grant read access to dead letters, poison queues, the workbook, alerts and logs. Empty (the default): no operator roles.')
param operatorPrincipalId string = ''

@description('What operatorPrincipalId is.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

@description('Email address that receives alerts. Empty: alert rules exist but notify nobody.')
param alertEmail string = ''

@description('Refuse key-based ingestion in Application Insights; telemetry must then be sent with the app identity.')
param appInsightsDisableLocalAuth bool = true

@description('App backends that receive signed webhooks (docs/webhooks.md), at most three: [{ url: \'https://…\', events: \'verification.approved,verification.locked,delivery.failed\' }]. They become endpoint1, endpoint2, endpoint3.')
@maxLength(3)
param webhookEndpoints array = []

@secure()
@description('The whsec_… secret of each webhook endpoint, kept in Key Vault: { endpoint1: \'whsec_…\', endpoint2: … }.')
param webhookSecrets object = {}

@description('Upper bound on Flex Consumption instances: the cost ceiling, and with it the most SMS abuse can send per second. 1 is allowed.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory per Flex Consumption instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

// ACS data location by region, so the data stays in the geography the app runs in unless told otherwise.
var dataLocationByRegion = {
  eastus: 'United States'
  eastus2: 'United States'
  centralus: 'United States'
  northcentralus: 'United States'
  southcentralus: 'United States'
  westcentralus: 'United States'
  westus: 'United States'
  westus2: 'United States'
  westus3: 'United States'
  canadacentral: 'Canada'
  canadaeast: 'Canada'
  brazilsouth: 'Brazil'
  westeurope: 'Europe'
  northeurope: 'Europe'
  swedencentral: 'Europe'
  italynorth: 'Europe'
  polandcentral: 'Europe'
  spaincentral: 'Europe'
  francecentral: 'France'
  francesouth: 'France'
  germanywestcentral: 'Germany'
  germanynorth: 'Germany'
  norwayeast: 'Norway'
  norwaywest: 'Norway'
  switzerlandnorth: 'Switzerland'
  switzerlandwest: 'Switzerland'
  uksouth: 'UK'
  ukwest: 'UK'
  uaenorth: 'UAE'
  uaecentral: 'UAE'
  southafricanorth: 'Africa'
  southafricawest: 'Africa'
  centralindia: 'India'
  southindia: 'India'
  westindia: 'India'
  japaneast: 'Japan'
  japanwest: 'Japan'
  koreacentral: 'Korea'
  koreasouth: 'Korea'
  australiaeast: 'Australia'
  australiasoutheast: 'Australia'
  australiacentral: 'Australia'
  eastasia: 'Asia Pacific'
  southeastasia: 'Asia Pacific'
}
var communicationDataLocationResolved = empty(communicationDataLocation) ? dataLocationByRegion[toLower(location)] : communicationDataLocation
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  service: 'otp'
}
var functionAppName = 'func-otp-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}'
var deliveryQueueName = 'otp-delivery'
var webhookQueueName = 'otp-webhooks'
var deadLetterContainerName = 'eventgrid-deadletter'
// Names are computed here rather than read from module outputs, so What-If can predict them.
var names = {
  applicationInsights: 'appi-otp-${resourceToken}'
  logAnalytics: 'log-otp-${resourceToken}'
  storage: 'stotp${resourceToken}'
  keyVault: 'kv-otp-${resourceToken}'
  communicationService: 'acs-otp-${resourceToken}'
  emailService: 'ecs-otp-${resourceToken}'
  plan: 'plan-otp-${resourceToken}'
  identity: 'id-otp-${resourceToken}'
  systemTopic: 'evgt-otp-${resourceToken}'
  vnet: 'vnet-otp-${resourceToken}'
}
// Workbook resource names must be GUIDs; computed here so the operator's role on it is named at the start.
var workbookName = guid(resourceGroup().id, resourceId('Microsoft.Insights/components', names.applicationInsights), 'otp-workbook')

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.identity
  location: location
  tags: tags
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    disableLocalAuth: appInsightsDisableLocalAuth
  }
}

module storage 'core/storage/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    name: names.storage
    deploymentContainerName: deploymentContainerName
    deadLetterContainerName: deadLetterContainerName
    queueNames: [
      deliveryQueueName
      '${deliveryQueueName}-poison'
      webhookQueueName
      '${webhookQueueName}-poison'
    ]
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    privateNetworking: vnetEnabled
  }
}

module keyVault 'core/security/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    name: names.keyVault
    otpPepper: otpPepper
    otpEncryptionKey: otpEncryptionKey
    otpSigningKey: otpSigningKey
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    privateNetworking: vnetEnabled
    botCheckEnabled: botCheckProvider != 'None'
    botCheckSecret: botCheckSecret
    webhookCount: length(webhookEndpoints)
    webhookSecrets: webhookSecrets
  }
}

module communication 'core/communication/communication.bicep' = {
  name: 'communication'
  params: {
    tags: tags
    communicationServiceName: names.communicationService
    emailServiceName: names.emailService
    dataLocation: communicationDataLocationResolved
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
  }
}

module network 'core/network/private-network.bicep' = if (vnetEnabled) {
  name: 'network'
  params: {
    location: location
    tags: tags
    name: names.vnet
    storageAccountName: names.storage
    keyVaultName: names.keyVault
  }
  dependsOn: [
    storage
    keyVault
  ]
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  params: {
    // The principal exists only once the identity does; role assignment names need it (guid).
    #disable-next-line what-if-short-circuiting
    principalId: appIdentity.properties.principalId
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    communicationServiceName: names.communicationService
    applicationInsightsName: names.applicationInsights
  }
  dependsOn: [
    storage
    keyVault
    communication
    monitoring
  ]
}

module api 'app/api.bicep' = {
  name: 'api'
  params: {
    location: location
    tags: tags
    planName: names.plan
    name: functionAppName
    identityId: appIdentity.id
    identityClientId: appIdentity.properties.clientId
    storageAccountName: names.storage
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: names.applicationInsights
    pepperSecretUri: keyVault.outputs.pepperSecretUri
    encryptionKeySecretUri: keyVault.outputs.encryptionKeySecretUri
    signingKeySecretUri: keyVault.outputs.signingKeySecretUri
    botCheckProvider: botCheckProvider
    botCheckSiteKey: botCheckSiteKey
    botCheckHostnames: botCheckHostnames
    botCheckSecretUri: keyVault.outputs.botCheckSecretUri
    acsEndpoint: communication.outputs.endpoint
    smsFrom: smsFrom
    whatsAppChannelRegistrationId: whatsAppChannelRegistrationId
    whatsAppTemplateName: whatsAppTemplateName
    whatsAppTemplateLanguages: whatsAppTemplateLanguages
    voiceCallerId: voiceCallerId
    voiceCognitiveServicesEndpoint: voiceCognitiveServicesEndpoint
    smsAllowedCountryCodes: smsAllowedCountryCodes
    maxSmsPerHour: maxSmsPerHour
    maxEmailsPerHour: maxEmailsPerHour
    emailFrom: communication.outputs.senderAddress
    deliveryQueueName: deliveryQueueName
    webhookQueueName: webhookQueueName
    webhooks: [for (endpoint, i) in webhookEndpoints: {
      url: endpoint.url
      events: endpoint.?events ?? ''
      secretUri: keyVault.outputs.webhookSecretUris[i]
    }]
    sweepSchedule: '0 */5 * * * *'
    virtualNetworkSubnetId: vnetEnabled ? network!.outputs.appSubnetId : ''
    allowedOrigins: allowedOrigins
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
  // The app starts resolving Key Vault references and reaching storage as soon as it exists (through
  // the private endpoints when vnetEnabled: the subnet id makes the network module come first).
  dependsOn: [
    storage
    rbac
  ]
}

module observability 'app/observability.bicep' = {
  name: 'observability'
  params: {
    location: location
    tags: tags
    applicationInsightsName: names.applicationInsights
    workbookName: workbookName
    workbookDisplayName: 'OTP service (${environmentName})'
    alertEmail: alertEmail
  }
  dependsOn: [
    monitoring
  ]
}

module operatorRoles 'app/operator-roles.bicep' = if (!empty(operatorPrincipalId)) {
  name: 'operator-roles'
  params: {
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
    storageAccountName: names.storage
    deadLetterContainerName: deadLetterContainerName
    poisonQueueNames: [
      '${deliveryQueueName}-poison'
      '${webhookQueueName}-poison'
    ]
    applicationInsightsName: names.applicationInsights
    logAnalyticsName: names.logAnalytics
    workbookName: workbookName
  }
  dependsOn: [
    storage
    observability
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output API_BASE_URL string = 'https://${api.outputs.defaultHostName}/api'
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_PLAN_NAME string = api.outputs.planName
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_COMMUNICATION_SERVICE_NAME string = communication.outputs.communicationServiceName
output AZURE_EMAIL_SERVICE_NAME string = communication.outputs.emailServiceName
output AZURE_COMMUNICATION_DATA_LOCATION string = communicationDataLocationResolved
output OTP_EMAIL_SENDER string = communication.outputs.senderAddress
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output LOG_ANALYTICS_NAME string = monitoring.outputs.logAnalyticsName
output AZURE_MANAGED_IDENTITY_NAME string = appIdentity.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = appIdentity.properties.clientId
output WORKBOOK_NAME string = observability.outputs.workbookName
output DELIVERY_EVENTS_DEAD_LETTER_CONTAINER string = deadLetterContainerName
output VNET_NAME string = vnetEnabled ? network!.outputs.vnetName : ''
// The system topic infra/delivery-events.bicep creates once the code is deployed (docs/deploy.md, section 3).
output DELIVERY_EVENTS_TOPIC_NAME string = names.systemTopic
