// The silo: one replica (the control plane is one logical process), internal ingress only, state in Redis.
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

resource redis 'Microsoft.Cache/redis@2024-11-01' existing = {
  name: redisName
}

resource silo 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${registryIdentityId}': {} } }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: { external: false, targetPort: 8080, transport: 'http' }
      registries: [ { server: registryServer, identity: registryIdentityId } ]
      secrets: [
        { name: 'admin-key', value: adminKey }
        { name: 'sidecar-token', value: sidecarToken }
        { name: 'redis-connection', value: '${redis.properties.hostName}:6380,password=${redis.listKeys().primaryKey},ssl=true' }
      ]
    }
    template: {
      containers: [
        {
          name: 'silo'
          image: image
          resources: { cpu: json('1.0'), memory: '2Gi' }
          env: [
            { name: 'Silo__Storage', value: 'redis' }
            { name: 'Silo__Redis', secretRef: 'redis-connection' }
            { name: 'Silo__AdminKey', secretRef: 'admin-key' }
            { name: 'Silo__SidecarToken', secretRef: 'sidecar-token' }
          ]
          probes: [
            { type: 'Liveness', httpGet: { path: '/health/live', port: 8080 }, periodSeconds: 10, failureThreshold: 3 }
            { type: 'Readiness', httpGet: { path: '/health/ready', port: 8080 }, periodSeconds: 5, failureThreshold: 3 }
          ]
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 1 }
    }
  }
}
