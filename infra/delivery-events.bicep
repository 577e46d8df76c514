// Second step, after the code is deployed: Event Grid delivery reports from Communication Services to
// POST /api/events/delivery. The azd postdeploy hook (scripts/azd/postdeploy.sh) runs it after every
// `azd deploy` when OTP_DEPLOY_DELIVERY_EVENTS=true; by hand it is one `az deployment group create`
// with infra/delivery-events.bicepparam (docs/deploy.md, section 3). infra/main.bicep holds nothing
// that needs the code, so provisioning a fresh environment never waits for a function that is not there.
targetScope = 'resourceGroup'

@minLength(1)
@description('The environment name main.bicep was deployed with (tag azd-env-name).')
param environmentName string

// Outputs of infra/main.bicep (azd keeps them in its environment under the names delivery-events.bicepparam reads).
@minLength(1)
@description('AZURE_FUNCTION_APP_NAME: the Function App, with the code deployed.')
param functionAppName string

@minLength(1)
@description('AZURE_COMMUNICATION_SERVICE_NAME: the ACS resource whose reports Event Grid forwards.')
param communicationServiceName string

@minLength(1)
@description('AZURE_STORAGE_ACCOUNT_NAME: the storage account holding the dead-letter container.')
param storageAccountName string

@minLength(1)
@description('DELIVERY_EVENTS_DEAD_LETTER_CONTAINER: where undeliverable reports are kept.')
param deadLetterContainerName string = 'eventgrid-deadletter'

@minLength(1)
@description('DELIVERY_EVENTS_TOPIC_NAME: the Event Grid system topic to create on the ACS resource.')
param systemTopicName string

@secure()
@minLength(32)
@description('The eventgrid function key\'s value: made once (openssl rand -hex 32; the azd hook makes and keeps it) and passed unchanged on every deployment.')
param deliveryEventsKey string

module deliveryEvents 'app/delivery-events.bicep' = {
  name: 'delivery-events'
  params: {
    tags: {
      'azd-env-name': environmentName
      service: 'otp'
    }
    systemTopicName: systemTopicName
    communicationServiceName: communicationServiceName
    functionAppName: functionAppName
    storageAccountName: storageAccountName
    deadLetterContainerName: deadLetterContainerName
    deliveryEventsKey: deliveryEventsKey
  }
}

output DELIVERY_EVENTS_TOPIC_NAME string = deliveryEvents.outputs.systemTopicName
