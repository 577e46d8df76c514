// Azure Communication Services for SMS, plus an Email Communication Service with an
// Azure-managed domain (DoNotReply@<guid>.azurecomm.net) linked to it for email.
param tags object
param communicationServiceName string
param emailServiceName string

@description('Where ACS stores data at rest, e.g. "United States", "Europe".')
param dataLocation string

@description('Log Analytics workspace that receives the SMS and email operational logs.')
param logAnalyticsWorkspaceId string

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    // No tracking pixels or rewritten links in a one-time-code email.
    userEngagementTracking: 'Disabled'
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    // Access keys off: the app authenticates with its managed identity, so a leaked key sends nothing.
    disableLocalAuth: true
    linkedDomains: [
      managedDomain.id
    ]
  }
}

// SMS and email API calls and email delivery status (ACSSMSIncomingOperations, ACSEmailSendMailOperational,
// ACSEmailStatusUpdateOperational): the provider's side of every delivery. The email status table holds
// recipient addresses: access to the workspace is access to them (30-day retention, monitoring.bicep).
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: communicationService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'SMSOperational'
        enabled: true
      }
      {
        category: 'EmailSendMailOperational'
        enabled: true
      }
      {
        category: 'EmailStatusUpdateOperational'
        enabled: true
      }
    ]
  }
}

output communicationServiceName string = communicationService.name
output communicationServiceId string = communicationService.id
output endpoint string = 'https://${communicationService.properties.hostName}'
output emailServiceName string = emailService.name
output senderAddress string = 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
