/** The local endpoint: a loopback twin of a TGI endpoint on SageMaker, driven by the planner's engine. */
export { startLocalEndpoint, type LocalEndpoint, type LocalEndpointOptions } from './server';
export { resolveLocalDeployment, type LocalDeployment, type LocalDeploymentOptions } from './deployment';
export { parseFaultSpec, formatFaultSpec, FAULT_KINDS, type FaultKind, type FaultSpec } from './faults';
export { createRealTimeDriver, type RealTimeDriver } from './real-time-driver';
export { countPromptTokens } from './tokens';
