export { createEndpointEngine, type EndpointEngine } from './endpoint';
export { BlockPool, blocksFor, kvCacheBlocks } from './kv-blocks';
export { Replica, type ReplicaOptions } from './replica';
export type { EndpointEngineConfig, EngineEvent, EngineKind, EngineRequest, ReplicaModel, RouterPolicy, ServingEngine } from './types';
export { VLLM_DEFAULTS } from './vllm-defaults';
export { VllmReplica, vllmLimits, type VllmLimits, type VllmReplicaOptions } from './vllm-replica';
