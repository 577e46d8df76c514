// Azure Communication Services for SMS, plus an Email Communication Service with an
// Azure-managed domain (DoNotReply@<guid>.azurecomm.net) linked to it for email.
param tags object
param communicationServiceName string
param emailServiceName string

@description('Where ACS stores data at rest, e.g. "United States", "Europe".')
param dataLocation string

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

output communicationServiceName string = communicationService.name
output communicationServiceId string = communicationService.id
output endpoint string = 'https://${communicationService.properties.hostName}'
output emailServiceName string = emailService.name
output senderAddress string = 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
