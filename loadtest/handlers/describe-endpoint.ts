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

/**
 * Endpoint statuses the endpoint will not leave by itself (DescribeEndpoint: "DeleteEndpoint is the
 * only operation that can be performed on a failed endpoint"; UpdateRollbackFailed: "in service with
 * a mix of the old and new endpoint configurations" — not the layout the sweep plans for).
 * Creating, Updating, SystemUpdating and RollingBack ("Once the rollback completes, endpoint returns
 * to an InService status") are waited out.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html#sagemaker-DescribeEndpoint-response-EndpointStatus
 */
export const TERMINAL_ENDPOINT_STATUSES: ReadonlySet<string> = new Set(['Failed', 'OutOfService', 'Deleting', 'UpdateRollbackFailed']);
/** InferenceComponentStatus: InService | Creating | Updating | Failed | Deleting. https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeInferenceComponent.html */
export const TERMINAL_COMPONENT_STATUSES: ReadonlySet<string> = new Set(['Failed', 'Deleting']);

/** DescribeInferenceComponent of a component not created yet: ValidationException "Could not find inference component". */
function isComponentNotFound(error: unknown): boolean {
  return (error as { name?: string }).name === 'ValidationException' && /could not find inference component/i.test((error as Error).message ?? '');
}

interface Observation {
  readonly status: string;
  readonly ready: boolean;
  readonly reason?: string;
  readonly detail?: string;
  /** The resource the status is of: `endpoint X` or `inference component Y`. */
  readonly resource: string;
  readonly terminal: boolean;
}

async function observe(deps: DescribeEndpointDeps, state: ExecutionState): Promise<Observation> {
  const { endpointName, inferenceComponentName: component, copies, instances } = state.deployment;
  // After the pin-layout step, every planned copy (instance) must be in service, not just the resource.
  const layoutPinned = state.scaling !== undefined;
  let endpoint;
  try {
    endpoint = await deps.sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
  } catch (error) {
    // A missing endpoint will not appear by waiting when the schedule fires before a deploy.
    if ((error as { name?: string }).name === 'ValidationException') return { status: 'Failed', ready: false, reason: (error as Error).message, resource: `endpoint ${endpointName}`, terminal: true };
    throw error;
  }
  const status = endpoint.EndpointStatus ?? 'Unknown';
  const onEndpoint = { resource: `endpoint ${endpointName}`, status, reason: endpoint.FailureReason };
  if (TERMINAL_ENDPOINT_STATUSES.has(status)) return { ...onEndpoint, ready: false, terminal: true };
  if (status !== 'InService') return { ...onEndpoint, ready: false, terminal: false };
  if (component === undefined) {
    const current = endpoint.ProductionVariants?.reduce((sum, v) => sum + (v.CurrentInstanceCount ?? 0), 0) ?? 0;
    if (layoutPinned && current !== instances) return { ...onEndpoint, ready: false, terminal: false, detail: `${current} of ${instances} instances in service` };
    return { ...onEndpoint, ready: true, terminal: false };
  }
  let ic;
  try {
    ic = await deps.sagemaker.send(new DescribeInferenceComponentCommand({ InferenceComponentName: component }));
  } catch (error) {
    // Created after its endpoint is InService (CloudFormation, or whoever deploys it): wait for it.
    if (isComponentNotFound(error)) return { resource: `inference component ${component}`, status: 'NotCreated', ready: false, terminal: false, detail: `waiting for inference component ${component} to be created` };
    throw error;
  }
  const icStatus = ic.InferenceComponentStatus ?? 'Unknown';
  const onComponent = { resource: `inference component ${component}`, status: icStatus, reason: ic.FailureReason };
  if (TERMINAL_COMPONENT_STATUSES.has(icStatus)) return { ...onComponent, ready: false, terminal: true };
  const current = ic.RuntimeConfig?.CurrentCopyCount ?? 0;
  const detail = `inference component ${component}: ${current} of ${copies} copies`;
  if (icStatus !== 'InService') return { ...onComponent, ready: false, terminal: false, detail };
  if (layoutPinned && current !== copies) return { ...onComponent, ready: false, terminal: false, detail };
  return { ...onComponent, ready: true, terminal: false, detail };
}

/** Wait step: is the endpoint InService with its inference component (and, once pinned, every planned copy)? */
export function createDescribeEndpointHandler(deps: DescribeEndpointDeps) {
  return async (state: ExecutionState): Promise<EndpointStatusResult> => {
    const attempts = (state.endpoint?.attempts ?? 0) + 1;
    const seen = await observe(deps, state);
    deps.logger.info('endpoint status', { resource: seen.resource, status: seen.status, detail: seen.detail, ready: seen.ready, attempts });
    if (seen.terminal) throw new Error(`${seen.resource} is ${seen.status}${seen.reason ? `: ${seen.reason}` : ''}`);
    if (!seen.ready && attempts >= deps.maxAttempts) {
      throw new Error(`endpoint ${state.deployment.endpointName} not ready after ${attempts} polls (last: ${seen.resource} ${seen.status}${seen.detail ? `, ${seen.detail}` : ''})`);
    }
    return { ready: seen.ready, status: seen.status, failed: false, attempts, ...(seen.detail ? { detail: seen.detail } : {}), ...(seen.reason ? { reason: seen.reason } : {}) };
  };
}

export function defaultDescribeEndpointDeps(): DescribeEndpointDeps {
  return { sagemaker: new SageMakerClient({}), logger: createLogger('llm-bench-describe-endpoint'), maxAttempts: Number(process.env.MAX_WAIT_POLLS ?? 120) };
}

let cached: ReturnType<typeof createDescribeEndpointHandler> | undefined;
/** Lambda entry point; clients are built on the first invocation and reused while warm. */
export const handler = (event: ExecutionState): Promise<EndpointStatusResult> =>
  (cached ??= createDescribeEndpointHandler(defaultDescribeEndpointDeps()))(event);
