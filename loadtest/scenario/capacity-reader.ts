import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand, DescribeScalingActivitiesCommand } from '@aws-sdk/client-application-auto-scaling';
import type { CapacityReading } from '../../lib/results/scenario';
import { COMPONENT_COPY_DIMENSION, componentResourceId, VARIANT_INSTANCE_DIMENSION, variantResourceId } from '../../lib/endpoint/scalable-dimensions';
import { DescribeEndpointCommand, DescribeInferenceComponentCommand, SageMakerClient, UpdateInferenceComponentRuntimeConfigCommand } from '@aws-sdk/client-sagemaker';

/**
 * Capacity in service and the scaling activities behind it, read through the real SDK clients:
 * DescribeEndpoint (ProductionVariants[].CurrentInstanceCount / DesiredInstanceCount),
 * DescribeInferenceComponent (RuntimeConfig.CurrentCopyCount / DesiredCopyCount, LastModifiedTime) and
 * Application Auto Scaling DescribeScalingActivities.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeInferenceComponent.html
 * https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalingActivities.html
 * https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalableTargets.html
 */

export type { CapacityReading };

export interface RawActivity {
  readonly activityId: string;
  readonly startMs: number;
  readonly endMs?: number;
  readonly statusCode: string;
  readonly description: string;
  readonly cause: string;
}

export interface CapacityReader {
  read(): Promise<CapacityReading>;
  activities(): Promise<RawActivity[]>;
  /** UpdateInferenceComponentRuntimeConfig: the scenario's starting copy count. */
  setCopies(copies: number): Promise<void>;
  /** MinCapacity / MaxCapacity of the scalable target as registered (DescribeScalableTargets); undefined when none is. */
  scalableTarget(): Promise<{ readonly minCapacity: number; readonly maxCapacity: number } | undefined>;
}

export interface CapacityClients {
  readonly sagemaker: SageMakerClient;
  readonly autoScaling: ApplicationAutoScalingClient;
}

/** Clients for AWS (region) or for a local control plane (endpointUrl, dummy credentials, no retries). */
export function capacityClients(opts: { region?: string; endpointUrl?: string }): CapacityClients {
  const local = opts.endpointUrl !== undefined ? { endpoint: opts.endpointUrl, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 } : {};
  const region = opts.region ?? 'us-east-1';
  return { sagemaker: new SageMakerClient({ region, ...local }), autoScaling: new ApplicationAutoScalingClient({ region, ...local }) };
}

export function createCapacityReader(clients: CapacityClients, endpointName: string, inferenceComponent: string | undefined): CapacityReader {
  const resourceId = inferenceComponent !== undefined ? componentResourceId(inferenceComponent) : variantResourceId(endpointName, 'AllTraffic');
  return {
    async read(): Promise<CapacityReading> {
      const endpoint = await clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
      const variant = endpoint.ProductionVariants?.[0];
      const base = { instancesInService: variant?.CurrentInstanceCount, instancesDesired: variant?.DesiredInstanceCount };
      // A variant without components scales instances: the endpoint's LastModifiedTime moves when an update (added instances) completes.
      if (inferenceComponent === undefined) return { ...base, ...(endpoint.LastModifiedTime ? { lastModifiedMs: endpoint.LastModifiedTime.getTime() } : {}) };
      const component = await clients.sagemaker.send(new DescribeInferenceComponentCommand({ InferenceComponentName: inferenceComponent }));
      return {
        ...base,
        copiesInService: component.RuntimeConfig?.CurrentCopyCount,
        copiesDesired: component.RuntimeConfig?.DesiredCopyCount,
        componentStatus: component.InferenceComponentStatus,
        ...(component.LastModifiedTime ? { lastModifiedMs: component.LastModifiedTime.getTime() } : {}),
      };
    },
    async activities(): Promise<RawActivity[]> {
      const out = await clients.autoScaling.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'sagemaker', ResourceId: resourceId }));
      return (out.ScalingActivities ?? []).map((a) => ({
        activityId: a.ActivityId ?? '',
        startMs: a.StartTime?.getTime() ?? 0,
        ...(a.EndTime ? { endMs: a.EndTime.getTime() } : {}),
        statusCode: a.StatusCode ?? '',
        description: a.Description ?? '',
        cause: a.Cause ?? '',
      }));
    },
    async setCopies(copies: number): Promise<void> {
      if (inferenceComponent === undefined) throw new Error('setCopies needs an inference component');
      await clients.sagemaker.send(new UpdateInferenceComponentRuntimeConfigCommand({ InferenceComponentName: inferenceComponent, DesiredRuntimeConfig: { CopyCount: copies } }));
    },
    async scalableTarget() {
      const dimension = inferenceComponent !== undefined ? COMPONENT_COPY_DIMENSION : VARIANT_INSTANCE_DIMENSION;
      const out = await clients.autoScaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', ResourceIds: [resourceId], ScalableDimension: dimension }));
      const target = out.ScalableTargets?.[0];
      return target?.MinCapacity !== undefined && target.MaxCapacity !== undefined ? { minCapacity: target.MinCapacity, maxCapacity: target.MaxCapacity } : undefined;
    },
  };
}
