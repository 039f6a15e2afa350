// Azure Cache for Redis for the silo's state: TLS only (port 6380), key auth. The key never leaves ARM: the silo
// module reads it with listKeys() into a container-app secret.
param name string
param location string

resource redis 'Microsoft.Cache/redis@2024-11-01' = {
  name: name
  location: location
  properties: {
    sku: { name: 'Standard', family: 'C', capacity: 0 }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    redisVersion: '6'
    publicNetworkAccess: 'Enabled'
    redisConfiguration: { 'maxmemory-policy': 'noeviction' }
  }
}

output name string = redis.name
output hostName string = redis.properties.hostName
