// ACS delivery reports (SMS, email and, for the WhatsApp channel, Advanced Messaging) pushed by Event Grid
// to POST /api/events/delivery. Deployed by infra/delivery-events.bicep once the code is live: creating
// the subscription runs Event Grid's validation handshake against the function, and the function key
// needs the function (docs/deploy.md, section 3).
param tags object
param systemTopicName string
param communicationServiceName string
param functionAppName string
param storageAccountName string
param deadLetterContainerName string

@description('Name of the HTTP function behind /api/events/delivery; its own key is the only one Event Grid gets.')
param functionName string = 'DeliveryEvents'

@secure()
@minLength(32)
@description('Value of the function key Event Grid calls with. The same value on every deployment keeps the key, and the URL Event Grid holds, unchanged.')
param deliveryEventsKey string

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
}

// A key that opens this one function and nothing else. Its value comes from the deployment, not the
// platform: a key generated on each deployment would turn the reports in flight at that moment into
// 401s, which Event Grid does not retry. Revoke it without touching other keys.
resource eventGridKey 'Microsoft.Web/sites/functions/keys@2024-04-01' = {
  parent: functionApp::deliveryEventsFunction
  name: 'eventgrid'
  value: deliveryEventsKey
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: systemTopicName
  // ACS is a global resource, so its system topic is global too (one system topic per source).
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

module deadLetterWriter 'dead-letter-writer.bicep' = {
  name: 'dead-letter-writer'
  params: {
    // The principal exists only once the topic does; the assignment's name is made from it.
    #disable-next-line what-if-short-circuiting
    principalId: systemTopic.identity.principalId
    storageAccountName: storageAccountName
    deadLetterContainerName: deadLetterContainerName
  }
}

resource deliveryReports 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: systemTopic
  name: 'otp-delivery-reports'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      // The function answers 200 to a type it does not read, so a report type it learns later is not lost
      // to dead-lettering in between.
      includedEventTypes: [
        'Microsoft.Communication.SMSDeliveryReportReceived'
        'Microsoft.Communication.EmailDeliveryReportReceived'
        'Microsoft.Communication.AdvancedMessageDeliveryStatusUpdated'
      ]
    }
    destination: {
      endpointType: 'WebHook'
      properties: {
        // The key stays inside this deployment: it is never an output.
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/api/events/delivery?code=${deliveryEventsKey}'
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
  // The key must hold this value before Event Grid calls with it; the role before the first dead letter.
  dependsOn: [
    eventGridKey
    deadLetterWriter
  ]
}

output systemTopicName string = systemTopic.name
