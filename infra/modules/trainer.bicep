// The encoder trainer: a Container Apps environment with a serverless GPU workload profile and a manually
// triggered Container Apps job that runs trainer/Dockerfile once per start: `train` reads the ingest blobs of the
// patches container and writes the encoder (the hasher file re-index loads, <version>.json) to the encoders container,
// both as the job's own managed identity (DefaultAzureCredential with AZURE_CLIENT_ID): no registry password, no
// storage keys. Logs go to Log Analytics through diagnostic settings, so no workspace key is needed.

@description('Azure region (must offer the chosen serverless GPU profile).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Login server of the registry holding the trainer image.')
param registryLoginServer string

@description('Container Apps environment name.')
param environmentName string

@description('Container Apps job name.')
param jobName string

@description('Resource id of the identity the job runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Log Analytics workspace that receives the environment logs.')
param logAnalyticsId string

@description('Serverless GPU workload profile type.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Trainer image. The default is a placeholder until the postdeploy hook pushes the real image.')
param image string

@description('Blob endpoint of the storage account.')
param blobEndpoint string

@description('Modalities the job trains: s2, s1 or both (cross-modal, needs S1/S2 pairs in the archive).')
@allowed([
  's1'
  's2'
  'both'
])
param trainingModality string = 'both'

@description('Code length of the trained encoder.')
@allowed([
  16
  32
  64
  128
])
param trainingBits int = 64

@description('Longest a training run may take, in seconds.')
@minValue(600)
param replicaTimeoutSeconds int = 14400

// CPU and memory of one replica: the whole GPU profile, as serverless GPU replicas get a dedicated card.
var replicaSize = gpuProfileType == 'Consumption-GPU-NC8as-T4'
  ? { cpu: json('8'), memory: '56Gi' }
  : { cpu: json('24'), memory: '220Gi' }

var gpuProfileName = 'gpu'

var blobRoot = endsWith(blobEndpoint, '/') ? blobEndpoint : '${blobEndpoint}/'

// The training run: ImageNet-pretrained ResNet-18 (the trainer's default for this preset), storage to storage.
var trainingArgs = [
  'train'
  '--archive'
  '${blobRoot}patches'
  '--modality'
  trainingModality
  '--preset'
  'ResNet'
  '--depth'
  '18'
  '--bits'
  string(trainingBits)
  '--loss'
  'Mse'
  '--device'
  'cuda'
  '--out'
  '${blobRoot}encoders'
]

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: gpuProfileName
        workloadProfileType: gpuProfileType
      }
    ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: logAnalyticsId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource job 'Microsoft.App/jobs@2024-03-01' = {
  name: jobName
  location: location
  tags: union(tags, { 'azd-service-name': 'trainer' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      triggerType: 'Manual'
      replicaTimeout: replicaTimeoutSeconds
      replicaRetryLimit: 0
      manualTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
      }
      registries: [
        {
          server: registryLoginServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'trainer'
          image: image
          args: trainingArgs
          resources: replicaSize
          env: [
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
          ]
        }
      ]
    }
  }
}

output environmentName string = environment.name
output jobName string = job.name
