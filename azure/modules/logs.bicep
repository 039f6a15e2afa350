// Log Analytics: where the Container Apps environment sends application logs.
param name string
param location string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: name
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

output name string = workspace.name
output customerId string = workspace.properties.customerId
