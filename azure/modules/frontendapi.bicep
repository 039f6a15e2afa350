// The frontends: stateless Orleans clients of the cluster (found through Redis clustering), external ingress,
// scaled on concurrent requests. They also serve the control API, so sidecars register through them.
param name string
param location string
param environmentId string
param image string
param registryServer string
param registryIdentityId string
param redisName string
@secure()
param adminKey string
@secure()
param sidecarToken string
param maxReplicas int

resource redis 'Microsoft.Cache/redis@2024-11-01' existing = {
  name: redisName
}

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
      secrets: [
        { name: 'admin-key', value: adminKey }
        { name: 'sidecar-token', value: sidecarToken }
        { name: 'redis-connection', value: '${redis.properties.hostName}:6380,password=${redis.listKeys().primaryKey},ssl=true,abortConnect=false' }
      ]
    }
    template: {
      containers: [
        {
          name: 'frontendapi'
          image: image
          resources: { cpu: json('1.0'), memory: '2Gi' }
          env: [
            { name: 'Gateway__Mode', value: 'cluster' }
            { name: 'Cluster__Clustering', value: 'redis' }
            { name: 'Cluster__Redis', secretRef: 'redis-connection' }
            { name: 'Silo__AdminKey', secretRef: 'admin-key' }
            { name: 'Silo__SidecarToken', secretRef: 'sidecar-token' }
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
