// One silo of the Orleans cluster: its own container app with exactly one replica (replicas of one app cannot be
// addressed one by one), TCP ingress mapping the silo port 11111 and the gateway port 30000 to ports advertised to
// the rest of the cluster, unique per silo in the environment. The shape of the Orleans team's Azure Container Apps
// sample (samples/Deployment/AzureContainerApps/Azure/silo.bicep). Membership and grain state live in Redis.
param name string
param location string
param environmentId string
@description('The environment\'s static IP: what other silos and clients dial, with the advertised ports.')
param environmentStaticIp string
param image string
param registryServer string
param registryIdentityId string
param redisName string
@minValue(1)
@maxValue(65535)
param advertisedSiloPort int
@minValue(1)
@maxValue(65535)
param advertisedGatewayPort int

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
      ingress: {
        external: false
        transport: 'tcp'
        targetPort: 11111
        exposedPort: advertisedSiloPort
        additionalPortMappings: [ { external: false, targetPort: 30000, exposedPort: advertisedGatewayPort } ]
      }
      registries: [ { server: registryServer, identity: registryIdentityId } ]
      secrets: [
        { name: 'redis-connection', value: '${redis.properties.hostName}:6380,password=${redis.listKeys().primaryKey},ssl=true,abortConnect=false' }
      ]
    }
    template: {
      containers: [
        {
          name: 'silo'
          image: image
          resources: { cpu: json('1.0'), memory: '2Gi' }
          env: [
            { name: 'Cluster__Clustering', value: 'redis' }
            { name: 'Cluster__Redis', secretRef: 'redis-connection' }
            { name: 'Cluster__SiloPort', value: '11111' }
            { name: 'Cluster__GatewayPort', value: '30000' }
            { name: 'Cluster__AdvertisedIPAddress', value: environmentStaticIp }
            { name: 'Cluster__AdvertisedSiloPort', value: string(advertisedSiloPort) }
            { name: 'Cluster__AdvertisedGatewayPort', value: string(advertisedGatewayPort) }
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
