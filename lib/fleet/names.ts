import { createHash } from 'node:crypto';
import { instanceSlug } from '../endpoint/instance-type';

/** SageMaker endpoint and inference-component names: 1-63 of [a-zA-Z0-9-], no leading/trailing hyphen. */
const MAX_SAGEMAKER_NAME = 63;

/** Fits `name` into 63 characters, replacing the tail with a short hash when too long (stable). */
export function sageMakerName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (clean.length <= MAX_SAGEMAKER_NAME) return clean;
  const hash = createHash('sha256').update(clean).digest('hex').slice(0, 8);
  return `${clean.slice(0, MAX_SAGEMAKER_NAME - 9).replace(/-$/, '')}-${hash}`;
}

export { instanceSlug };

/**
 * Default deployment id: `{model}-{instance}-tp{tp}` (+ `-ic{copies}` for inference components, +
 * `-{engine}` when given: a matrix comparing engines names each combination's engine).
 */
export function defaultDeploymentId(modelId: string, instanceName: string, tp: number, copies?: number, engine?: string): string {
  return `${modelId}-${instanceSlug(instanceName)}-tp${tp}${copies !== undefined ? `-ic${copies}` : ''}${engine !== undefined ? `-${engine}` : ''}`;
}

export function stackName(fleetName: string, id: string): string {
  return `LlmBench-${fleetName}-${id}`;
}

/**
 * `{fleet}-{id}`, with the instance slug appended unless the id already holds it: a deployment moved
 * to another instance type gets a new endpoint name, so CloudFormation replaces the endpoint instead
 * of calling UpdateEndpoint, which fails for an autoscaled variant whose instance type changes
 * (lib/endpoint/update-safety.ts). Inference-component names derive from it and change with it.
 */
export function endpointName(fleetName: string, id: string, instanceName?: string): string {
  const slug = instanceName === undefined ? undefined : instanceSlug(instanceName);
  return sageMakerName(slug === undefined || id.includes(slug) ? `${fleetName}-${id}` : `${fleetName}-${id}-${slug}`);
}

export function inferenceComponentName(endpoint: string): string {
  return sageMakerName(`${endpoint}-ic`);
}
