// The functions the templates wire, named as in functions/BitEarth.Functions (function name = method name).
// tests/BitEarth.Infra.Tests asserts these against DeployedFunctions, and that class against the published
// functions.metadata, so a rename in the app breaks a test instead of a deployment.

@export()
@description('Blob-triggered function (Event Grid source) that ingests uploads to the patches container.')
var ingestFunctionName = 'IngestPatch'

@export()
@description('HTTP functions by name: method and route, relative to the /api prefix.')
var httpRoutes = {
  Query: {
    method: 'POST'
    route: 'query'
  }
  GetPatch: {
    method: 'GET'
    route: 'patches/{id}'
  }
  Health: {
    method: 'GET'
    route: 'health'
  }
  ListEncoders: {
    method: 'GET'
    route: 'encoders'
  }
  Reindex: {
    method: 'POST'
    route: 'reindex'
  }
  ReindexStatus: {
    method: 'GET'
    route: 'reindex/{instanceId}'
  }
}

@export()
@description('Timer-triggered functions by name: NCRONTAB schedule (seconds first). They need no wiring beyond the app.')
var timerSchedules = {
  RefreshSnapshots: '0 */10 * * * *'
}
