import { DescribeEndpointCommand, DescribeInferenceComponentCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { EndpointStatusResult, ExecutionState } from '../../lib/benchmark/pipeline-state';
import { createLogger } from './deps';

export interface DescribeEndpointDeps {
  readonly sagemaker: SageMakerClient;
  readonly logger: Logger;
  /** Polls before giving up (the state machine waits between polls). */
  readonly maxAttempts: number;
}

const TERMINAL_FAILURES = new Set(['Failed', 'OutOfService', 'Deleting', 'RollingBack']);

async function statusOf(deps: DescribeEndpointDeps, endpointName: string, component?: string): Promise<{ status: string; reason?: string }> {
  try {
    const endpoint = await deps.sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
    const status = endpoint.EndpointStatus ?? 'Unknown';
    if (status !== 'InService' || component === undefined) return { status, reason: endpoint.FailureReason };
    const ic = await deps.sagemaker.send(new DescribeInferenceComponentCommand({ InferenceComponentName: component }));
    return { status: ic.InferenceComponentStatus ?? 'Unknown', reason: ic.FailureReason };
  } catch (error) {
    // A missing endpoint will not appear by waiting when the schedule fires before a deploy.
    if ((error as { name?: string }).name === 'ValidationException') return { status: 'Failed', reason: (error as Error).message };
    throw error;
  }
}

/** Wait step: is the endpoint (and its inference component) InService? */
export function createDescribeEndpointHandler(deps: DescribeEndpointDeps) {
  return async (state: ExecutionState): Promise<EndpointStatusResult> => {
    const { endpointName, inferenceComponentName } = state.deployment;
    const attempts = (state.endpoint?.attempts ?? 0) + 1;
    const { status, reason } = await statusOf(deps, endpointName, inferenceComponentName);
    const ready = status === 'InService';
    const failed = TERMINAL_FAILURES.has(status);
    deps.logger.info('endpoint status', { endpointName, inferenceComponentName, status, attempts });
    if (failed) throw new Error(`endpoint ${endpointName}${inferenceComponentName ? `/${inferenceComponentName}` : ''} is ${status}${reason ? `: ${reason}` : ''}`);
    if (!ready && attempts >= deps.maxAttempts) {
      throw new Error(`endpoint ${endpointName} not InService after ${attempts} polls (last status ${status})`);
    }
    return { ready, status, failed, attempts, ...(reason ? { reason } : {}) };
  };
}

export function defaultDescribeEndpointDeps(): DescribeEndpointDeps {
  return { sagemaker: new SageMakerClient({}), logger: createLogger('llm-bench-describe-endpoint'), maxAttempts: Number(process.env.MAX_WAIT_POLLS ?? 120) };
}

let cached: ReturnType<typeof createDescribeEndpointHandler> | undefined;
/** Lambda entry point; clients are built on the first invocation and reused while warm. */
export const handler = (event: ExecutionState): Promise<EndpointStatusResult> =>
  (cached ??= createDescribeEndpointHandler(defaultDescribeEndpointDeps()))(event);
