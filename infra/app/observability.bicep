// The OTP dashboard (an Azure Monitor workbook) and the alert rules, all reading the
// OpenTelemetry metrics (Meter "OtpFunctions") that land in Application Insights customMetrics.
param location string
param tags object
param applicationInsightsName string
param workbookDisplayName string

@description('The workbook\'s resource name, a GUID.')
param workbookName string

@description('Where alerts are emailed. Empty: the alert rules still fire in the portal but notify nobody.')
param alertEmail string

@description('Alert when more than this percentage of delivery attempts fail over 15 minutes.')
param deliveryFailureRateThreshold int = 10

@description('Alert when more than this percentage of HTTP requests answer 5xx over 15 minutes.')
param http5xxRateThreshold int = 5

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-${applicationInsightsName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'otp-alerts'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var alertActions = {
  actionGroups: empty(alertEmail) ? [] : [actionGroup.id]
}

// Counters arrive as one customMetrics row per export interval; valueSum is the increment.
var deliveryFailureRateQuery = '''
customMetrics
| where name == "otp.delivery.outcomes"
| extend outcome = tostring(customDimensions.outcome)
| summarize failed = sumif(valueSum, outcome == "failed"), attempts = sumif(valueSum, outcome in ("sent", "failed"))
| where attempts >= 10
| extend failureRatePercent = 100.0 * failed / attempts
'''

// Two writers feed otp-delivery-poison: the delivery function after its last retry (event 2008, from the
// app's own exporter) and the queue trigger itself after MaxDequeueCount unexpected failures (a host line).
// Each logs a line per message; storage metrics only count messages per account. By EventId, not by text:
// webhooks moved to their own poison queue (6003) say "moved to the poison queue" too.
var poisonQueueQuery = '''
traces
| where tostring(customDimensions.EventId) == "2008"
    or (message has "MaxDequeueCount" and message has "otp-delivery-poison")
'''

var http5xxRateQuery = '''
requests
| where isnotempty(url)
| summarize total = count(), serverErrors = countif(toint(resultCode) >= 500)
| where total >= 20
| extend serverErrorRatePercent = 100.0 * serverErrors / total
'''

resource deliveryFailureAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'otp-delivery-failure-rate-${applicationInsightsName}'
  location: location
  tags: tags
  properties: {
    displayName: 'OTP delivery failure rate'
    description: 'More than ${deliveryFailureRateThreshold}% of SMS/email delivery attempts failed in 15 minutes (otp.delivery.outcomes).'
    severity: 2
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: deliveryFailureRateQuery
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'failureRatePercent'
          operator: 'GreaterThan'
          threshold: deliveryFailureRateThreshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: alertActions
  }
}

resource poisonQueueAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'otp-delivery-poison-${applicationInsightsName}'
  location: location
  tags: tags
  properties: {
    displayName: 'OTP delivery messages poisoned'
    description: 'At least one delivery message was moved to the otp-delivery-poison queue in the last 15 minutes: a code was never sent.'
    severity: 1
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: poisonQueueQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: alertActions
  }
}

resource http5xxAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'otp-http-5xx-rate-${applicationInsightsName}'
  location: location
  tags: tags
  properties: {
    displayName: 'OTP API 5xx rate'
    description: 'More than ${http5xxRateThreshold}% of API requests answered 5xx in 15 minutes.'
    severity: 2
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: http5xxRateQuery
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'serverErrorRatePercent'
          operator: 'GreaterThan'
          threshold: http5xxRateThreshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: alertActions
  }
}

// The fraud guard judged a number prefix pumped (otp.fraud.blocks, by mode): in Block mode its sends are refused
// for Otp:FraudGuard:BlockFor, in Monitor mode nothing is refused. Either way an operator should look (docs/monitoring.md).
var fraudBlocksQuery = '''
customMetrics
| where name == "otp.fraud.blocks"
| summarize blocks = sum(valueSum)
| where blocks > 0
'''

resource fraudBlockAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'otp-fraud-prefix-blocked-${applicationInsightsName}'
  location: location
  tags: tags
  properties: {
    displayName: 'OTP fraud guard blocked a number prefix'
    description: 'The fraud guard judged at least one number prefix pumped in the last 15 minutes (otp.fraud.blocks): its codes were mostly never verified. GET /api/fraud/blocks lists it; DELETE /api/fraud/blocks/{prefix} lifts a false block.'
    severity: 2
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: fraudBlocksQuery
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'blocks'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: alertActions
  }
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: workbookName
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: workbookDisplayName
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: string(loadJsonContent('otp-workbook.json'))
  }
}

output workbookName string = workbook.name
output actionGroupName string = empty(alertEmail) ? '' : actionGroup.name
