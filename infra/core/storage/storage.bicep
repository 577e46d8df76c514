// Storage for the Functions host (AzureWebJobsStorage, Flex deployment package) and for the
// app's own tables and delivery queue. Identity only: shared keys are off.
param location string
param tags object
param name string
param deploymentContainerName string
param queueNames array

@description('Blob container where Event Grid dead-letters delivery reports it could not hand to the app.')
param deadLetterContainerName string

@description('Log Analytics workspace that receives the blob, queue and table resource logs.')
param logAnalyticsWorkspaceId string

@description('Private networking: only private endpoints (and trusted Azure services with their own identity, i.e. Event Grid dead-lettering) reach the account.')
param privateNetworking bool = false

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // With private networking no IP or subnet is allowed in: the app reaches the account through its
    // private endpoints. The public endpoint stays "selected networks" with none selected rather than
    // Disabled, because Event Grid (a trusted service using its system identity) must still be able to
    // write dead letters, and a Disabled endpoint refuses trusted services too.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      ipRules: []
      virtualNetworkRules: []
    }
  }

  resource blobServices 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }

    // Delivery reports Event Grid gave up on (endpoint down, key rejected): kept, not dropped.
    resource deadLetterContainer 'containers' = {
      name: deadLetterContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  resource queueServices 'queueServices' = {
    name: 'default'

    // Created up front so the poison queue exists for the alert before the first failure.
    resource queues 'queues' = [
      for queueName in queueNames: {
        name: queueName
      }
    ]
  }

  resource tableServices 'tableServices' = {
    name: 'default'
  }
}

// Read, write and delete logs of each service the app and the host use, to the workspace (StorageBlobLogs,
// StorageQueueLogs, StorageTableLogs). Row and partition keys in them are hashes, never destinations.
var storageLogs = [
  {
    category: 'StorageRead'
    enabled: true
  }
  {
    category: 'StorageWrite'
    enabled: true
  }
  {
    category: 'StorageDelete'
    enabled: true
  }
]

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: storage::blobServices
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: storageLogs
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: storage::queueServices
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: storageLogs
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: storage::tableServices
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: storageLogs
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
