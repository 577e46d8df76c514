// Storage Blob Data Contributor on the dead-letter container for the Event Grid system topic's identity.
// A module of its own so the assignment's name can come from the principal: a principal id exists only
// once the topic does, and a role assignment's name must be known when the deployment starts. Named from
// the principal (as the Flex quickstart's rbac.bicep does), a re-created topic gets a new assignment
// instead of an update Azure refuses (the principal of an existing assignment cannot change).
param principalId string
param storageAccountName string
param deadLetterContainerName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobServices 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

// Storage Blob Data Contributor, on the dead-letter container only.
resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobServices::deadLetterContainer.id, principalId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: storage::blobServices::deadLetterContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
