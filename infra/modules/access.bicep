// Every data-plane grant in one place, each at the narrowest scope its principal uses:
//   Function App identity: Blob Data Owner, Queue and Table Data Contributor on its storage account (the
//     Functions host, blob trigger receipts and the Durable Task hub need all three; Owner because the host
//     manages blob leases and the deployment container), Monitoring Metrics Publisher on Application Insights
//     (Entra ID telemetry), Cosmos DB Built-in Data Contributor on the account.
//   Trainer job identity: AcrPull on the registry, Blob Data Reader on patches, Blob Data Contributor on encoders.
//   Deployer (optional): Blob Data Contributor on patches, to upload the archive with --auth-mode login.
// No principal gets a control-plane role such as Owner or Contributor.

@description('Storage account of the archive and the host.')
param storageAccountName string

@description('Container registry of the trainer image.')
param registryName string

@description('Application Insights component of the Function App.')
param applicationInsightsName string

@description('Cosmos DB account.')
param cosmosAccountName string

@description('Principal id of the Function App identity.')
param functionPrincipalId string

@description('Principal id of the trainer job identity.')
param trainerPrincipalId string

@description('Principal id of the person or pipeline deploying; empty grants nothing.')
param deployerPrincipalId string = ''

@description('Kind of the deployer principal.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param deployerPrincipalType string = 'User'

// Built-in role definition ids (identical in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
}

// Cosmos DB data-plane built-in role, defined per account.
var cosmosDataContributor = '00000000-0000-0000-0000-000000000002'

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource patches 'containers' existing = {
      name: 'patches'
    }

    resource encoders 'containers' existing = {
      name: 'encoders'
    }
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: registryName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

var functionStorageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource functionStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in functionStorageRoles: {
    name: guid(storage.id, functionPrincipalId, role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: functionPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource functionTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, functionPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource functionCosmos 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos
  name: guid(cosmos.id, functionPrincipalId, cosmosDataContributor)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributor}'
    principalId: functionPrincipalId
    scope: cosmos.id
  }
}

resource trainerPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, trainerPrincipalId, roles.acrPull)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
    principalId: trainerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource trainerReadsPatches 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::patches.id, trainerPrincipalId, roles.storageBlobDataReader)
  scope: storage::blobService::patches
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
    principalId: trainerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource trainerWritesEncoders 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::encoders.id, trainerPrincipalId, roles.storageBlobDataContributor)
  scope: storage::blobService::encoders
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: trainerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource deployerUploadsPatches 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(storage::blobService::patches.id, deployerPrincipalId, roles.storageBlobDataContributor)
  scope: storage::blobService::patches
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}
