// Development: everything serverless and small. Deploy with
//   az deployment sub create -l swedencentral -f infra/main.bicep -p infra/env/dev.bicepparam
using '../main.bicep'

param environmentName = 'dev'
param location = readEnvironmentVariable('BITEARTH_LOCATION', 'swedencentral')
param principalId = readEnvironmentVariable('BITEARTH_PRINCIPAL_ID', '')
param cosmosCapacityMode = 'Serverless'
param storageSkuName = 'Standard_LRS'
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param gpuProfileType = 'Consumption-GPU-NC8as-T4'
param trainerImage = readEnvironmentVariable('TRAINER_IMAGE', 'mcr.microsoft.com/k8se/quickstart-jobs:latest')
param ingestEventsEnabled = bool(readEnvironmentVariable('INGEST_EVENTS_ENABLED', 'false'))
