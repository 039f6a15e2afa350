// DIO on Azure Container Apps: a heterogeneous GPU fleet (vLLM + DIO sidecar per GPU pool), an Orleans cluster of
// two or more silos (one container app each) with membership and grain state in Azure Cache for Redis, and
// autoscaled stateless frontends that are clients of the cluster. Compiled and linted by the tests
// (test/Deployment.Tests); not deployed from the development environment. See docs/deploy-azure.md.
targetScope = 'resourceGroup'

@description('Region with serverless GPUs (for example westus3, australiaeast, swedencentral).')
param location string = resourceGroup().location

@description('Prefix of every resource name.')
@minLength(3)
@maxLength(12)
param namePrefix string = 'dio'

@description('Container registry login server, for example myregistry.azurecr.io.')
param registryServer string

@description('Resource id of a user-assigned identity with AcrPull on the registry.')
param registryIdentityId string

@description('Image tag of the DIO images (dio-silo, dio-frontendapi, dio-sidecar).')
param imageTag string = 'latest'

@description('vLLM OpenAI server image.')
param vllmImage string = 'docker.io/vllm/vllm-openai:latest'

@description('Model every GPU pool serves.')
param model string = 'meta-llama/Meta-Llama-3-8B-Instruct'

@description('vLLM max_model_len.')
param maxModelLen int = 8192

@description('GPU pools: one container app each (vLLM first, DIO sidecar second). name: short id; profileType: serverless GPU profile; gpu: the name DIO reports.')
param gpuPools array = [
  { name: 'a100', profileType: 'Consumption-GPU-NC24-A100', gpu: 'A100-80GB', cpu: 24, memory: '220Gi', quantization: '' }
  { name: 't4', profileType: 'Consumption-GPU-NC8as-T4', gpu: 'T4', cpu: 8, memory: '56Gi', quantization: 'awq' }
]

@description('Silos of the Orleans cluster, each its own container app; a silo\'s death moves its grains to the others.')
@minValue(1)
@maxValue(20)
param siloCount int = 2

@description('Most frontend replicas.')
param frontendMaxReplicas int = 10

@secure()
@description('Key of the silo control API (header X-Dio-Admin-Key).')
param adminKey string

@secure()
@description('Token sidecars present to register with the silo.')
param sidecarToken string

@secure()
@description('Hugging Face token vLLM uses to download gated models; empty for open models.')
param huggingFaceToken string = ''

var frontendAppName = '${namePrefix}-frontend'

module logs 'modules/logs.bicep' = {
  name: 'logs'
  params: { name: '${namePrefix}-logs', location: location }
}

module environment 'modules/environment.bicep' = {
  name: 'environment'
  params: {
    name: '${namePrefix}-env'
    location: location
    logsCustomerId: logs.outputs.customerId
    logsWorkspaceName: logs.outputs.name
    gpuPools: gpuPools
  }
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  params: { name: '${namePrefix}-redis-${uniqueString(resourceGroup().id)}', location: location }
}

// Advertised ports are unique per silo in the environment: silo i dials 11111 + i (silo to silo) and 30000 + i (gateway).
module silos 'modules/silo.bicep' = [for i in range(0, siloCount): {
  name: 'silo-${i}'
  params: {
    name: '${namePrefix}-silo-${i}'
    location: location
    environmentId: environment.outputs.id
    environmentStaticIp: environment.outputs.staticIp
    image: '${registryServer}/dio-silo:${imageTag}'
    registryServer: registryServer
    registryIdentityId: registryIdentityId
    redisName: redis.outputs.name
    advertisedSiloPort: 11111 + i
    advertisedGatewayPort: 30000 + i
  }
}]

module frontend 'modules/frontendapi.bicep' = {
  name: 'frontendapi'
  params: {
    name: frontendAppName
    location: location
    environmentId: environment.outputs.id
    image: '${registryServer}/dio-frontendapi:${imageTag}'
    registryServer: registryServer
    registryIdentityId: registryIdentityId
    redisName: redis.outputs.name
    adminKey: adminKey
    sidecarToken: sidecarToken
    maxReplicas: frontendMaxReplicas
  }
}

module workers 'modules/gpu-worker.bicep' = [for pool in gpuPools: {
  name: 'worker-${pool.name}'
  params: {
    name: '${namePrefix}-${pool.name}'
    location: location
    environmentId: environment.outputs.id
    workloadProfileName: pool.name
    cpu: pool.cpu
    memory: pool.memory
    gpu: pool.gpu
    quantization: pool.quantization
    vllmImage: vllmImage
    sidecarImage: '${registryServer}/dio-sidecar:${imageTag}'
    registryServer: registryServer
    registryIdentityId: registryIdentityId
    model: model
    maxModelLen: maxModelLen
    controlApiUrl: 'http://${frontendAppName}'
    sidecarToken: sidecarToken
    huggingFaceToken: huggingFaceToken
  }
}]

@description('Public URL of the OpenAI-compatible endpoint (…/v1/chat/completions, …/swagger).')
output frontendUrl string = frontend.outputs.url
