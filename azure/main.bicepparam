using './main.bicep'

// Secrets come from the deploying shell's environment, never from this file.
param registryServer = readEnvironmentVariable('DIO_REGISTRY', 'myregistry.azurecr.io')
param registryIdentityId = readEnvironmentVariable('DIO_REGISTRY_IDENTITY_ID', '')
param imageTag = readEnvironmentVariable('DIO_IMAGE_TAG', 'latest')
param adminKey = readEnvironmentVariable('DIO_ADMIN_KEY')
param sidecarToken = readEnvironmentVariable('DIO_SIDECAR_TOKEN')
param huggingFaceToken = readEnvironmentVariable('HF_TOKEN', '')
