export { createEndpointEngine, type EndpointEngine } from './endpoint';
export { Replica, type ReplicaOptions } from './replica';
export type { EndpointEngineConfig, EngineEvent, EngineRequest, RouterPolicy, ServingEngine } from './types';
