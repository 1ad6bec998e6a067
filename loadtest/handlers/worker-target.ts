import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { ServingContainer } from '../targets/api';
import { createSageMakerTarget } from '../targets/sagemaker';
import type { Target } from '../targets/types';

/** What a worker item says of the endpoint it loads (a sweep level's WorkerItem, a scenario window's ScenarioWorkerItem). */
export interface WorkerEndpoint {
  readonly endpointName: string;
  readonly inferenceComponentName?: string;
  readonly stream: boolean;
  readonly container?: ServingContainer;
  /** Request deadline, endpoint seconds. */
  readonly timeoutS: number;
}

/** How a worker's step reaches SageMaker: an injected client (offline: the local twin's), else one of its own. */
export interface WorkerClientDeps {
  readonly runtimeClient?: SageMakerRuntimeClient;
  readonly endpointUrl?: string;
  readonly region?: string;
  /** Time compression of the endpoint (1 in AWS). */
  readonly speedup: number;
}

/**
 * The SageMaker target of a Lambda worker (run-worker, scenario-worker): the item's endpoint, component,
 * streaming and container; sockets sized to the streams it holds (the SDK's default pool would cap
 * them); the request deadline in real time at the endpoint, so a time-compressed endpoint shortens it alike.
 */
export function workerTarget(item: WorkerEndpoint, deps: WorkerClientDeps, opts: { readonly maxSockets: number; readonly retries?: number }): Target {
  return createSageMakerTarget({
    endpointName: item.endpointName,
    ...(item.inferenceComponentName !== undefined ? { inferenceComponent: item.inferenceComponentName } : {}),
    stream: item.stream,
    ...(item.container !== undefined ? { container: item.container } : {}),
    ...(deps.runtimeClient ? { client: deps.runtimeClient } : {}),
    ...(deps.endpointUrl ? { endpointUrl: deps.endpointUrl } : {}),
    ...(deps.region ? { region: deps.region } : {}),
    maxSockets: opts.maxSockets,
    ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
    timeoutMs: (item.timeoutS * 1000) / deps.speedup,
  });
}
