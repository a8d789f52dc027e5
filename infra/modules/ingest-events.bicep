// Event Grid subscription that delivers BlobCreated events of the patches container to IngestPatch's blob
// extension webhook (the Event Grid source of the blob trigger; no container polling).
// The webhook needs the host's blobs_extension system key, which the Functions host creates only once code with
// an Event Grid blob trigger has been deployed and started. So this module runs after the first code deployment:
// main.bicep includes it when ingestEventsEnabled is true, and infra/hooks/postdeploy.sh deploys it on its own right
// after `azd deploy`. The key is read at deployment time and never leaves ARM (no output, no parameter).

@description('Function App that hosts IngestPatch.')
param functionAppName string

@description('Event Grid system topic of the storage account.')
param systemTopicName string

@description('Name of the event subscription.')
param subscriptionName string = 'ingest-patches'

@description('Name of the blob-triggered function that ingests patches.')
param ingestFunctionName string = 'IngestPatch'

@description('Blob container whose new blobs are ingested.')
param patchesContainerName string = 'patches'

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

// sites/host has no published Bicep type, so its keys are read with listKeys on the resource id.
var hostKeys = listKeys('${functionApp.id}/host/default', functionApp.apiVersion)
var webhookUrl = 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${ingestFunctionName}&code=${hostKeys.systemKeys.blobs_extension}'

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: subscriptionName
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: webhookUrl
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${patchesContainerName}/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output subscriptionName string = subscription.name
