// One GPU pool = one container app with one replica: vLLM FIRST (only the first container gets the GPU), the DIO
// sidecar second, sharing localhost. The sidecar is the app's (internal) ingress and registers through the control API as this
// app's internal name, so DIO sees one worker per app; add a pool entry per GPU you want routed individually.
param name string
param location string
param environmentId string
param workloadProfileName string
param cpu int
param memory string
param gpu string
param quantization string
param vllmImage string
param sidecarImage string
param registryServer string
param registryIdentityId string
param model string
param maxModelLen int
@description('Where the sidecar registers: the control API, served by every frontend.')
param controlApiUrl string
@secure()
param sidecarToken string
@secure()
param huggingFaceToken string

var vllmArgs = concat([ '--model', model, '--port', '8000', '--max-model-len', string(maxModelLen) ],
  empty(quantization) ? [] : [ '--quantization', quantization ])

resource worker 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${registryIdentityId}': {} } }
  properties: {
    environmentId: environmentId
    workloadProfileName: workloadProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: { external: false, targetPort: 8080, transport: 'http' }
      registries: [ { server: registryServer, identity: registryIdentityId } ]
      secrets: [
        { name: 'sidecar-token', value: sidecarToken }
        { name: 'hf-token', value: huggingFaceToken }
      ]
    }
    template: {
      containers: [
        {
          name: 'vllm'
          image: vllmImage
          args: vllmArgs
          env: [ { name: 'HF_TOKEN', secretRef: 'hf-token' } ]
          resources: { cpu: cpu - 1, memory: '${int(replace(memory, 'Gi', '')) - 2}Gi' }
          probes: [
            { type: 'Startup', httpGet: { path: '/health', port: 8000 }, initialDelaySeconds: 60, periodSeconds: 10, failureThreshold: 10 }
            { type: 'Liveness', httpGet: { path: '/health', port: 8000 }, periodSeconds: 30, failureThreshold: 3 }
          ]
        }
        {
          name: 'sidecar'
          image: sidecarImage
          resources: { cpu: 1, memory: '2Gi' }
          env: [
            { name: 'Sidecar__Upstream', value: 'http://localhost:8000' }
            { name: 'Sidecar__SiloUrl', value: controlApiUrl }
            { name: 'Sidecar__Token', secretRef: 'sidecar-token' }
            { name: 'Sidecar__PublicUrl', value: 'http://${name}' }
            { name: 'Sidecar__WorkerId', value: name }
            { name: 'Sidecar__GpuName', value: gpu }
          ]
          probes: [
            { type: 'Liveness', httpGet: { path: '/health/live', port: 8080 }, periodSeconds: 10, failureThreshold: 3 }
            { type: 'Readiness', httpGet: { path: '/health/ready', port: 8080 }, initialDelaySeconds: 60, periodSeconds: 10, failureThreshold: 10 }
          ]
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 1 }
    }
  }
}
