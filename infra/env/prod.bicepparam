// Production, deployed by the CI service principal: zone-redundant storage, autoscale Cosmos throughput for
// steady query load, more and larger Function App instances, A100 training. Deploy with
//   az deployment sub create -l swedencentral -f infra/main.bicep -p infra/env/prod.bicepparam
using '../main.bicep'

param environmentName = 'prod'
param location = readEnvironmentVariable('BITEARTH_LOCATION', 'swedencentral')
param principalId = readEnvironmentVariable('BITEARTH_PRINCIPAL_ID', '')
param principalType = 'ServicePrincipal'
param cosmosCapacityMode = 'Provisioned'
param cosmosAutoscaleMaxThroughput = 4000
param storageSkuName = 'Standard_ZRS'
param maximumInstanceCount = 200
param instanceMemoryMB = 4096
param gpuProfileType = 'Consumption-GPU-NC24-A100'
param trainerImage = readEnvironmentVariable('TRAINER_IMAGE', 'mcr.microsoft.com/k8se/quickstart-jobs:latest')
param ingestEventsEnabled = bool(readEnvironmentVariable('INGEST_EVENTS_ENABLED', 'false'))
