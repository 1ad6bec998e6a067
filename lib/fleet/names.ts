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
 * `{fleet}-{id}-{instance slug}`, the slug merged with what the id already says about the instance:
 * a deployment moved to another instance type gets a new endpoint name, so CloudFormation replaces
 * the endpoint instead of calling UpdateEndpoint, which fails for an autoscaled variant whose instance
 * type changes (lib/endpoint/update-safety.ts). Inference-component names derive from it and change
 * with it. Names follow SageMaker's EndpointName constraints (`sageMakerName`: at most 63 characters
 * of [a-zA-Z0-9-], https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html#sagemaker-CreateEndpoint-request-EndpointName );
 * two deployments of one fleet must not share one (`duplicateEndpointNames`).
 */
export function endpointName(fleetName: string, id: string, instanceName?: string): string {
  const named = instanceName === undefined ? id : withInstanceSlug(id, instanceSlug(instanceName));
  return sageMakerName(`${fleetName}-${named}`);
}

/** A size word of an instance slug (`2xlarge`, `xlarge`, `large`, `metal-24xl`'s `metal`). */
const SIZE_WORD = /^(\d*x?large|\d+xl|medium|small|micro|nano|metal)$/;

/**
 * `id` with the instance slug, sharing the hyphen-separated words they have in common:
 * - the id as it is when it already holds the whole slug (`llama-g5-2xlarge-tp1`);
 * - the rest of the slug inserted after the short form the id holds (`llama-p4d` + `p4d-24xlarge`
 *   → `llama-p4d-24xlarge`; `llama-p4d-ic-8x-tp1` → `llama-p4d-24xlarge-ic-8x-tp1`), unless a size
 *   word of another instance follows it there;
 * - else the whole slug appended (`llama` → `llama-g5-2xlarge`).
 * Words compare case-insensitively.
 */
export function withInstanceSlug(id: string, slug: string): string {
  const original = id.split('-');
  const idWords = id.toLowerCase().split('-');
  const slugWords = slug.toLowerCase().split('-');
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((w, i) => w === b[i]);
  for (let at = 0; at + slugWords.length <= idWords.length; at++) {
    if (same(idWords.slice(at, at + slugWords.length), slugWords)) return id;
  }
  for (let shared = slugWords.length - 1; shared >= 1; shared--) {
    for (let at = idWords.length - shared; at >= 0; at--) {
      const next = idWords[at + shared];
      if (!same(idWords.slice(at, at + shared), slugWords.slice(0, shared)) || (next !== undefined && SIZE_WORD.test(next))) continue;
      return [...original.slice(0, at + shared), ...slug.split('-').slice(shared), ...original.slice(at + shared)].join('-');
    }
  }
  return `${id}-${slug}`;
}

/** Endpoint names used by deployments of different ids, each with the ids that share it (a repeated id is reported as such). */
export function duplicateEndpointNames(deployments: readonly { readonly id: string; readonly endpointName: string }[]): { endpointName: string; ids: string[] }[] {
  const byName = new Map<string, string[]>();
  for (const d of deployments) byName.set(d.endpointName, [...new Set([...(byName.get(d.endpointName) ?? []), d.id])]);
  return [...byName].filter(([, ids]) => ids.length > 1).map(([name, ids]) => ({ endpointName: name, ids }));
}

export function inferenceComponentName(endpoint: string): string {
  return sageMakerName(`${endpoint}-ic`);
}
