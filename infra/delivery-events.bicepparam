// Parameters for infra/delivery-events.bicep, read from the environment: azd passes its environment
// (main.bicep's outputs and OTP_EVENTGRID_KEY) to the postdeploy hook; by hand, export the same names.
using './delivery-events.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'otp-dev')
param functionAppName = readEnvironmentVariable('AZURE_FUNCTION_APP_NAME', '')
param communicationServiceName = readEnvironmentVariable('AZURE_COMMUNICATION_SERVICE_NAME', '')
param storageAccountName = readEnvironmentVariable('AZURE_STORAGE_ACCOUNT_NAME', '')
param deadLetterContainerName = readEnvironmentVariable('DELIVERY_EVENTS_DEAD_LETTER_CONTAINER', 'eventgrid-deadletter')
param systemTopicName = readEnvironmentVariable('DELIVERY_EVENTS_TOPIC_NAME', '')
param deliveryEventsKey = readEnvironmentVariable('OTP_EVENTGRID_KEY', '')
