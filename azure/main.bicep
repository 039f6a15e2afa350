// DIO on Azure Container Apps: a heterogeneous GPU fleet (vLLM + DIO sidecar per GPU pool), one silo with its state
// in Azure Cache for Redis, and autoscaled stateless frontends. NOT deployed from the development environment
// (no Bicep compiler there); see docs/deploy-azure.md.
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

var siloAppName = '${namePrefix}-silo'

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

module silo 'modules/silo.bicep' = {
  name: 'silo'
  params: {
    name: siloAppName
    location: location
    environmentId: environment.outputs.id
    image: '${registryServer}/dio-silo:${imageTag}'
    registryServer: registryServer
    registryIdentityId: registryIdentityId
    redisName: redis.outputs.name
    adminKey: adminKey
    sidecarToken: sidecarToken
  }
}

module frontend 'modules/frontendapi.bicep' = {
  name: 'frontendapi'
  params: {
    name: '${namePrefix}-frontend'
    location: location
    environmentId: environment.outputs.id
    image: '${registryServer}/dio-frontendapi:${imageTag}'
    registryServer: registryServer
    registryIdentityId: registryIdentityId
    siloUrl: 'http://${siloAppName}'
    adminKey: adminKey
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
    siloUrl: 'http://${siloAppName}'
    sidecarToken: sidecarToken
    huggingFaceToken: huggingFaceToken
  }
}]

@description('Public URL of the OpenAI-compatible endpoint (…/v1/chat/completions, …/swagger).')
output frontendUrl string = frontend.outputs.url
