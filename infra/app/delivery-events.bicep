// ACS delivery reports (SMS and email) pushed by Event Grid to POST /api/events/delivery.
// Deployed only once the code is live: creating the subscription runs Event Grid's validation
// handshake against the function, which must already answer it (see docs/deploy.md, step 2).
param tags object
param systemTopicName string
param communicationServiceName string
param functionAppName string
param storageAccountName string
param deadLetterContainerName string

@description('Name of the HTTP function behind /api/events/delivery; its own key is the only one Event Grid gets.')
param functionName string = 'DeliveryEvents'

resource communicationService 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationServiceName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName

  resource deliveryEventsFunction 'functions' existing = {
    name: functionName
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobServices 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

// A key that opens this one function and nothing else: no value is given, so the platform generates
// a random one (a template-derived value would be guessable). Revoke it without touching other keys.
resource eventGridKey 'Microsoft.Web/sites/functions/keys@2024-04-01' = {
  parent: functionApp::deliveryEventsFunction
  name: 'eventgrid'
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: systemTopicName
  // ACS is a global resource, so its system topic is global too.
  location: 'global'
  tags: tags
  // Its own identity writes dead letters: storage refuses shared keys, and with private networking only
  // a trusted service using a system-assigned identity gets through the storage firewall.
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: communicationService.id
    topicType: 'Microsoft.Communication.CommunicationServices'
  }
}

// Storage Blob Data Contributor on the dead-letter container only: the topic can write there and nowhere else.
resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobServices::deadLetterContainer.id, systemTopicName, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: storage::blobServices::deadLetterContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
    principalId: systemTopic.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource deliveryReports 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: systemTopic
  name: 'otp-delivery-reports'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Communication.SMSDeliveryReportReceived'
        'Microsoft.Communication.EmailDeliveryReportReceived'
      ]
    }
    destination: {
      endpointType: 'WebHook'
      properties: {
        // The function key stays inside this deployment: it is never an output.
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/api/events/delivery?code=${functionApp::deliveryEventsFunction.listKeys().eventgrid}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    // After the retries (or at once on 400/401/403/413), the report lands in this container instead of
    // being dropped; docs/deploy.md shows how to read and replay it.
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
  // The key must exist before it is read into the URL; the role before the first dead letter.
  dependsOn: [
    eventGridKey
    deadLetterWriter
  ]
}

output systemTopicName string = systemTopic.name
