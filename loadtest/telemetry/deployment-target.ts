import { getInstanceType } from '../../lib/catalog';
import type { DeploymentInput } from '../../lib/benchmark/pipeline-state';
import type { TelemetryTarget } from './queries';

/** The CloudWatch resource of a pipeline deployment: its endpoint (AllTraffic) or inference component, with its GPUs per instance. */
export function telemetryTargetOf(deployment: Pick<DeploymentInput, 'endpointName' | 'inferenceComponentName' | 'instanceType'>): TelemetryTarget {
  return {
    endpointName: deployment.endpointName,
    ...(deployment.inferenceComponentName !== undefined ? { inferenceComponent: deployment.inferenceComponentName } : {}),
    ...gpusOf(deployment.instanceType),
  };
}

/** GPUs of a catalog instance type; nothing for one the catalog does not know (GPUUtilization then stays summed). */
export function gpusOf(instanceType: string | undefined): { gpusPerInstance?: number } {
  if (instanceType === undefined) return {};
  try {
    return { gpusPerInstance: getInstanceType(instanceType).acceleratorCount };
  } catch {
    return {};
  }
}
