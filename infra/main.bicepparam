// Parameters for infra/main.bicep. azd and a hand deployment both read the environment:
// the three keys are never written here (generate them with `openssl rand -base64 32`).
using './main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'otp-dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')

param otpPepper = readEnvironmentVariable('OTP_PEPPER', '')
param otpEncryptionKey = readEnvironmentVariable('OTP_ENCRYPTION_KEY', '')
param otpSigningKey = readEnvironmentVariable('OTP_SIGNING_KEY', '')

param smsFrom = readEnvironmentVariable('OTP_SMS_FROM', '')
// WhatsApp and voice (docs/delivery.md): empty ids leave each channel not_configured.
param whatsAppChannelRegistrationId = readEnvironmentVariable('OTP_WHATSAPP_CHANNEL_REGISTRATION_ID', '')
param whatsAppTemplateName = readEnvironmentVariable('OTP_WHATSAPP_TEMPLATE_NAME', 'otp_code')
param whatsAppTemplateLanguages = readEnvironmentVariable('OTP_WHATSAPP_TEMPLATE_LANGUAGES', 'en:en_US,es:es,fr:fr')
param voiceCallerId = readEnvironmentVariable('OTP_VOICE_CALLER_ID', '')
param voiceCognitiveServicesEndpoint = readEnvironmentVariable('OTP_VOICE_COGNITIVE_SERVICES_ENDPOINT', '')
param smsAllowedCountryCodes = readEnvironmentVariable('OTP_SMS_ALLOWED_COUNTRY_CODES', '1')
param maxSmsPerHour = int(readEnvironmentVariable('OTP_MAX_SMS_PER_HOUR', '500'))
param maxEmailsPerHour = int(readEnvironmentVariable('OTP_MAX_EMAILS_PER_HOUR', '80'))
param maximumInstanceCount = int(readEnvironmentVariable('OTP_MAXIMUM_INSTANCE_COUNT', '100'))
param vnetEnabled = bool(readEnvironmentVariable('OTP_VNET_ENABLED', 'false'))
param allowedOrigins = filter(split(readEnvironmentVariable('OTP_ALLOWED_ORIGINS', ''), ','), origin => !empty(trim(origin)))
param communicationDataLocation = readEnvironmentVariable('OTP_COMMUNICATION_DATA_LOCATION', '')
// Read access for an operator (docs/deploy.md, "Roles"): OTP_OPERATOR_PRINCIPAL_ID="$(az ad signed-in-user show --query id -o tsv)".
param operatorPrincipalId = readEnvironmentVariable('OTP_OPERATOR_PRINCIPAL_ID', '')
param operatorPrincipalType = readEnvironmentVariable('OTP_OPERATOR_PRINCIPAL_TYPE', 'User')
param alertEmail = readEnvironmentVariable('OTP_ALERT_EMAIL', '')
param botCheckProvider = readEnvironmentVariable('OTP_BOT_CHECK_PROVIDER', 'None')
param botCheckSiteKey = readEnvironmentVariable('OTP_BOT_CHECK_SITE_KEY', '')
param botCheckHostnames = readEnvironmentVariable('OTP_BOT_CHECK_HOSTNAMES', '')
param botCheckSecret = readEnvironmentVariable('OTP_BOT_CHECK_SECRET', '')
// Webhooks (docs/webhooks.md): OTP_WEBHOOK_ENDPOINTS='[{"url":"https://…","events":"verification.approved"}]',
// OTP_WEBHOOK_SECRETS='{"endpoint1":"whsec_…"}'.
param webhookEndpoints = json(readEnvironmentVariable('OTP_WEBHOOK_ENDPOINTS', '[]'))
param webhookSecrets = json(readEnvironmentVariable('OTP_WEBHOOK_SECRETS', '{}'))
