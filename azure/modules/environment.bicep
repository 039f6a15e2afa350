// The Container Apps environment: the Consumption profile for silo and frontends, one serverless GPU profile per pool.
param name string
param location string
param logsCustomerId string
param logsWorkspaceName string
param gpuPools array

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logsWorkspaceName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: name
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logsCustomerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    workloadProfiles: concat([
      { name: 'Consumption', workloadProfileType: 'Consumption' }
    ], map(gpuPools, pool => { name: pool.name, workloadProfileType: pool.profileType }))
  }
}

output id string = environment.id
output staticIp string = environment.properties.staticIp
