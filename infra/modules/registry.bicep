// Container registry for the trainer image. No admin user and no anonymous pull: the job pulls as its identity
// (AcrPull), and the deployer pushes with Entra ID (az acr build / azd).

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Container registry name (5-50 letters and digits).')
@minLength(5)
@maxLength(50)
param registryName string

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = {
  name: registryName
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

output registryName string = registry.name
output loginServer string = registry.properties.loginServer
