// Function App on the Flex Consumption plan (FC1): Linux, scales to zero, .NET isolated worker. It runs as a
// user-assigned identity for everything: the deployment package, the host storage and Durable Task hub
// (AzureWebJobsStorage), the patches blob trigger connection (PatchStorage), Cosmos DB and Application Insights.
// App settings hold endpoints and names only; the Application Insights connection string is an ingestion address,
// not a credential, because the component rejects non-Entra ingestion.

@description('Azure region.')
param location string

@description('Tags applied to every resource; the app also gets azd-service-name.')
param tags object

@description('Flex Consumption plan name.')
param planName string

@description('Function App name (also its host name prefix).')
param functionAppName string

@description('Resource id of the identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Storage account holding the host state, the archive containers and the deployment container.')
param storageAccountName string

@description('Blob container the deployment package is uploaded to.')
param deploymentContainerName string

@description('Application Insights component the app sends telemetry to.')
param applicationInsightsName string

@description('Cosmos DB document endpoint.')
param cosmosEndpoint string

@description('Cosmos DB database name.')
param cosmosDatabaseName string

@description('Active encoder blob name; empty leaves the choice to the Cosmos control record.')
param activeEncoder string = ''

@description('Number of leading code bits that choose a shard.')
@minValue(1)
@maxValue(16)
param prefixBits int = 4

@description('.NET isolated runtime version on Flex Consumption.')
@allowed([
  '8.0'
  '9.0'
  '10.0'
])
param dotnetVersion string = '10.0'

@description('Upper bound on instances the plan scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Subnet (delegated to Microsoft.App/environments) the app integrates with; empty: no virtual network.')
param virtualNetworkSubnetId string = ''

@description('Client id of the Entra ID app registration that fronts the app (Easy Auth); empty: function keys only.')
param entraClientId string = ''

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

var identitySettings = {
  AZURE_CLIENT_ID: identityClientId
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  PatchStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  PatchStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  PatchStorage__credential: 'managedidentity'
  PatchStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

var bitEarthSettings = union(
  {
    Cosmos__Endpoint: cosmosEndpoint
    Cosmos__Database: cosmosDatabaseName
    BitEarth__PrefixBits: string(prefixBits)
  },
  empty(activeEncoder) ? {} : { BitEarth__Encoder: activeEncoder }
)

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union(identitySettings, bitEarthSettings)
  }

  // Easy Auth with Entra ID: every call needs a token of the app registration (and a function key, as before);
  // readiness and the Event Grid delivery webhook stay reachable without one. The Reindex function also requires the
  // BitEarth.Reindex app role, read from the X-MS-CLIENT-PRINCIPAL header the platform sets.
  resource authSettings 'config' = if (!empty(entraClientId)) {
    name: 'authsettingsV2'
    properties: {
      platform: {
        enabled: true
      }
      globalValidation: {
        requireAuthentication: true
        unauthenticatedClientAction: 'Return401'
        excludedPaths: [
          '/api/health'
          '/runtime/webhooks/blobs'
        ]
      }
      identityProviders: {
        azureActiveDirectory: {
          enabled: true
          registration: {
            clientId: entraClientId
            openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
          }
          validation: {
            allowedAudiences: [
              'api://${entraClientId}'
              entraClientId
            ]
          }
        }
      }
      login: {
        tokenStore: {
          enabled: false
        }
      }
    }
  }

  // Publishing credentials (basic auth) are off: deployments use Entra ID (azd, az functionapp deploy).
  resource ftpPolicy 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmPolicy 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output functionAppName string = functionApp.name
output functionAppId string = functionApp.id
output defaultHostName string = functionApp.properties.defaultHostName
