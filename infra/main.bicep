// BitEarth in one subscription-scope deployment: a resource group holding the patch archive storage (with its
// Event Grid system topic), Cosmos DB for codes and patch metadata, the Flex Consumption Function App, monitoring,
// and the GPU trainer job. Deploy with `azd up`, or `az deployment sub create` and infra/env/<env>.bicepparam.
targetScope = 'subscription'

import { ingestFunctionName, httpRoutes, timerSchedules } from 'function-contract.bicep'

@description('Environment name (azd environment); part of the resource group name and of every resource name.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Region for every resource; must offer Flex Consumption and the chosen serverless GPU profile.')
param location string

@description('Principal id of the deployer (azd sets AZURE_PRINCIPAL_ID); it may upload patches. Empty grants nothing.')
param principalId string = ''

@description('Kind of the deployer principal.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Cosmos DB capacity: Serverless (default, scales to zero) or Provisioned autoscale throughput.')
@allowed([
  'Serverless'
  'Provisioned'
])
param cosmosCapacityMode string = 'Serverless'

@description('Autoscale maximum RU/s of the database when cosmosCapacityMode is Provisioned.')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Storage replication SKU.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
])
param storageSkuName string = 'Standard_LRS'

@description('.NET isolated runtime version of the Function App.')
@allowed([
  '8.0'
  '9.0'
  '10.0'
])
param dotnetVersion string = '10.0'

@description('Upper bound on Function App instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory per Function App instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Active encoder blob name; empty leaves the choice to the Cosmos control record.')
param activeEncoder string = ''

@description('Number of leading code bits that choose a shard.')
@minValue(1)
@maxValue(16)
param prefixBits int = 4

@description('Serverless GPU workload profile of the trainer job.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Trainer image; a public placeholder until infra/hooks/postdeploy.sh builds and pushes trainer/Dockerfile.')
param trainerImage string = 'mcr.microsoft.com/k8se/quickstart-jobs:latest'

@description('Create the Event Grid subscription to IngestPatch. Needs the app code deployed first (see README.md ("Deploy to Azure")).')
param ingestEventsEnabled bool = false

@description('Client id of an Entra ID app registration to put in front of the app (Easy Auth, authsettingsV2); its BitEarth.Reindex app role may start re-indexes. Empty: function keys only.')
param entraClientId string = ''

@description('Reach Storage and Cosmos DB only through private endpoints in a new virtual network the app integrates with; their public network access is then off.')
param privateNetworkingEnabled bool = false

@description('Address space of that virtual network.')
param vnetAddressPrefix string = '10.40.0.0/16'

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'bitearth'
}
var deploymentContainerName = 'deployment-package'
// With private networking the data services take traffic only through their private endpoints.
var dataPublicNetworkAccess = privateNetworkingEnabled ? 'Disabled' : 'Enabled'
var cosmosDatabaseName = 'bitearth'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-bitearth-${environmentName}'
  location: location
  tags: tags
}

module identities 'modules/identities.bicep' = {
  name: 'identities'
  scope: rg
  params: {
    location: location
    tags: tags
    functionIdentityName: 'id-func-${resourceToken}'
    trainerIdentityName: 'id-trainer-${resourceToken}'
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    logAnalyticsName: 'log-bitearth-${resourceToken}'
    applicationInsightsName: 'appi-bitearth-${resourceToken}'
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    tags: tags
    storageAccountName: 'stbe${resourceToken}'
    deploymentContainerName: deploymentContainerName
    systemTopicName: 'evgt-storage-${resourceToken}'
    skuName: storageSkuName
    publicNetworkAccess: dataPublicNetworkAccess
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    location: location
    tags: tags
    accountName: 'cosmos-bitearth-${resourceToken}'
    databaseName: cosmosDatabaseName
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    publicNetworkAccess: dataPublicNetworkAccess
  }
}

module network 'modules/network.bicep' = if (privateNetworkingEnabled) {
  name: 'network'
  scope: rg
  params: {
    location: location
    tags: tags
    vnetName: 'vnet-bitearth-${resourceToken}'
    addressPrefix: vnetAddressPrefix
    storageAccountId: storage.outputs.storageAccountId
    cosmosAccountId: cosmos.outputs.accountId
  }
}

var appSubnetId = privateNetworkingEnabled ? network!.outputs.appSubnetId : ''

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    location: location
    tags: tags
    registryName: 'crbitearth${resourceToken}'
  }
}

module trainer 'modules/trainer.bicep' = {
  name: 'trainer'
  scope: rg
  params: {
    location: location
    tags: tags
    registryLoginServer: registry.outputs.loginServer
    environmentName: 'cae-bitearth-${resourceToken}'
    jobName: 'caj-trainer-${resourceToken}'
    identityId: identities.outputs.trainerIdentityId
    identityClientId: identities.outputs.trainerClientId
    logAnalyticsId: monitoring.outputs.logAnalyticsId
    gpuProfileType: gpuProfileType
    image: trainerImage
    blobEndpoint: storage.outputs.blobEndpoint
  }
  // The job pulls its image as its identity, so AcrPull must exist before the job does.
  dependsOn: [
    access
  ]
}

module access 'modules/access.bicep' = {
  name: 'access'
  scope: rg
  params: {
    storageAccountName: storage.outputs.storageAccountName
    registryName: registry.outputs.registryName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    cosmosAccountName: cosmos.outputs.accountName
    functionPrincipalId: identities.outputs.functionPrincipalId
    trainerPrincipalId: identities.outputs.trainerPrincipalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    location: location
    tags: tags
    planName: 'plan-bitearth-${resourceToken}'
    functionAppName: 'func-bitearth-${resourceToken}'
    identityId: identities.outputs.functionIdentityId
    identityClientId: identities.outputs.functionClientId
    storageAccountName: storage.outputs.storageAccountName
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    activeEncoder: activeEncoder
    prefixBits: prefixBits
    dotnetVersion: dotnetVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    virtualNetworkSubnetId: appSubnetId
    entraClientId: entraClientId
  }
  // The host starts as soon as the site exists and must reach its storage and Cosmos as its identity.
  dependsOn: [
    access
  ]
}

module ingestEvents 'modules/ingest-events.bicep' = if (ingestEventsEnabled) {
  name: 'ingest-events'
  scope: rg
  params: {
    functionAppName: functionApp.outputs.functionAppName
    systemTopicName: storage.outputs.systemTopicName
    ingestFunctionName: ingestFunctionName
  }
}

// Names and endpoints only: nothing here is a credential.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.functionAppName
output FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
output INGEST_FUNCTION_NAME string = ingestFunctionName
output HTTP_ROUTES object = httpRoutes
output TIMER_SCHEDULES object = timerSchedules
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.storageAccountName
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output EVENT_GRID_SYSTEM_TOPIC_NAME string = storage.outputs.systemTopicName
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_COSMOS_DATABASE string = cosmos.outputs.databaseName
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.registryName
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = trainer.outputs.environmentName
output TRAINER_JOB_NAME string = trainer.outputs.jobName
