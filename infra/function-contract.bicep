// The functions the templates wire, named as in functions/BitEarth.Functions (function name = method name).
// tests/BitEarth.Infra.Tests asserts these against DeployedFunctions, and that class against the published
// functions.metadata, so a rename in the app breaks a test instead of a deployment.

@export()
@description('Blob-triggered function (Event Grid source) that ingests uploads to the patches container.')
var ingestFunctionName = 'IngestPatch'

@export()
@description('HTTP functions by name: method and route from the host root (routePrefix is empty: the explorer page is at /).')
var httpRoutes = {
  Query: {
    method: 'POST'
    route: 'api/query'
  }
  QueryChange: {
    method: 'POST'
    route: 'api/query/change'
  }
  GetPatch: {
    method: 'GET'
    route: 'api/patches/{id}'
  }
  Health: {
    method: 'GET'
    route: 'api/health'
  }
  HealthDetails: {
    method: 'GET'
    route: 'api/health/details'
  }
  ListEncoders: {
    method: 'GET'
    route: 'api/encoders'
  }
  Reindex: {
    method: 'POST'
    route: 'api/reindex'
  }
  ReindexStatus: {
    method: 'GET'
    route: 'api/reindex/{instanceId}'
  }
  GetThumbnail: {
    method: 'GET'
    route: 'api/patches/{id}/thumbnail.png'
  }
  GetPatchStac: {
    method: 'GET'
    route: 'api/patches/{id}/stac'
  }
  OpenApi: {
    method: 'GET'
    route: 'api/openapi.json'
  }
  Explorer: {
    method: 'GET'
    route: '{*asset}'
  }
}

@export()
@description('Timer-triggered functions by name: NCRONTAB schedule (seconds first). They need no wiring beyond the app.')
var timerSchedules = {
  RefreshSnapshots: '0 */10 * * * *'
}
