// Read access for a person (or group) who runs the service: the dead letters Event Grid could not hand
// over, the poison queues, the workbook, the alerts and the logs. Nothing here can send, change or delete.
// Each role sits on the one resource it is for, never the resource group; names are
// guid(scope, principal, role), as for the app identity (rbac.bicep) and the quickstart's deploying user.
@description('Object id of the operator: a user, or better a group (az ad signed-in-user show --query id -o tsv).')
param principalId string

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

param storageAccountName string
param deadLetterContainerName string
param poisonQueueNames array
param applicationInsightsName string
param logAnalyticsName string
param workbookName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobServices 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: deadLetterContainerName
    }
  }

  resource queueServices 'queueServices' existing = {
    name: 'default'
  }
}

resource poisonQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' existing = [for name in poisonQueueNames: {
  parent: storage::queueServices
  name: name
}]

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logAnalyticsName
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' existing = {
  name: workbookName
}

// Storage Blob Data Reader on the dead-letter container: list and download dead-lettered reports.
resource deadLetterReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobServices::deadLetterContainer.id, principalId, '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
  scope: storage::blobServices::deadLetterContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: principalId
    principalType: principalType
  }
}

// Storage Queue Data Reader on each poison queue: peek at messages that were never delivered.
resource poisonQueueReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in poisonQueueNames: {
  name: guid(poisonQueues[i].id, principalId, '19e7f393-937e-4f77-808e-94535e297925')
  scope: poisonQueues[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '19e7f393-937e-4f77-808e-94535e297925')
    principalId: principalId
    principalType: principalType
  }
}]

// Monitoring Reader on Application Insights: metrics, traces, requests and the alerts fired on it.
resource applicationInsightsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, '43d0d8ad-25c7-4714-9337-8ba259a9fe05')
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '43d0d8ad-25c7-4714-9337-8ba259a9fe05')
    principalId: principalId
    principalType: principalType
  }
}

// Monitoring Reader on the workbook: open the dashboard (its queries run against Application Insights).
resource workbookReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workbook.id, principalId, '43d0d8ad-25c7-4714-9337-8ba259a9fe05')
  scope: workbook
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '43d0d8ad-25c7-4714-9337-8ba259a9fe05')
    principalId: principalId
    principalType: principalType
  }
}

// Log Analytics Reader on the workspace: the resource logs (AZKVAuditLogs, storage, ACS) and Application Insights' tables.
resource logAnalyticsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(logAnalytics.id, principalId, '73c42c96-874c-492b-b04d-ab87d138a893')
  scope: logAnalytics
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '73c42c96-874c-492b-b04d-ab87d138a893')
    principalId: principalId
    principalType: principalType
  }
}
