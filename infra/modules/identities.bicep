// User-assigned identities exist before the app and the job, so their role assignments can be granted up front
// and are in place on first start (no race between a new system identity and RBAC propagation).

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Name of the identity the Function App runs as.')
param functionIdentityName string

@description('Name of the identity the trainer job runs as.')
param trainerIdentityName string

resource functionIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: functionIdentityName
  location: location
  tags: tags
}

resource trainerIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: trainerIdentityName
  location: location
  tags: tags
}

output functionIdentityId string = functionIdentity.id
output functionIdentityName string = functionIdentity.name
output functionPrincipalId string = functionIdentity.properties.principalId
output functionClientId string = functionIdentity.properties.clientId
output trainerIdentityId string = trainerIdentity.id
output trainerIdentityName string = trainerIdentity.name
output trainerPrincipalId string = trainerIdentity.properties.principalId
output trainerClientId string = trainerIdentity.properties.clientId
