// ACS delivery reports (SMS and email) pushed by Event Grid to POST /api/events/delivery.
// Deployed only once the code is live: creating the subscription runs Event Grid's validation
// handshake against the function, which must already answer it (see docs/deploy.md, step 2).
param tags object
param systemTopicName string
param communicationServiceName string
param functionAppName string

resource communicationService 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationServiceName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: systemTopicName
  // ACS is a global resource, so its system topic is global too.
  location: 'global'
  tags: tags
  properties: {
    source: communicationService.id
    topicType: 'Microsoft.Communication.CommunicationServices'
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
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/api/events/delivery?code=${listKeys('${functionApp.id}/host/default', '2023-12-01').functionKeys.default}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output systemTopicName string = systemTopic.name
