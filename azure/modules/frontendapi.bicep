// The frontends: stateless, external ingress, scaled on concurrent requests, routing through the silo (remote mode).
param name string
param location string
param environmentId string
param image string
param registryServer string
param registryIdentityId string
param siloUrl string
@secure()
param adminKey string
param maxReplicas int

resource frontend 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${registryIdentityId}': {} } }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: { external: true, targetPort: 8080, transport: 'auto' }
      registries: [ { server: registryServer, identity: registryIdentityId } ]
      secrets: [ { name: 'admin-key', value: adminKey } ]
    }
    template: {
      containers: [
        {
          name: 'frontendapi'
          image: image
          resources: { cpu: json('1.0'), memory: '2Gi' }
          env: [
            { name: 'Silo__Url', value: siloUrl }
            { name: 'Silo__AdminKey', secretRef: 'admin-key' }
          ]
          probes: [
            { type: 'Liveness', httpGet: { path: '/health/live', port: 8080 }, periodSeconds: 10, failureThreshold: 3 }
            { type: 'Readiness', httpGet: { path: '/health/ready', port: 8080 }, periodSeconds: 5, failureThreshold: 3 }
          ]
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: maxReplicas
        rules: [ { name: 'concurrent-requests', http: { metadata: { concurrentRequests: '50' } } } ]
      }
    }
  }
}

output url string = 'https://${frontend.properties.configuration.ingress.fqdn}'
