import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
  type ScalableDimension,
} from '@aws-sdk/client-application-auto-scaling';
import {
  DescribeEndpointCommand,
  DescribeInferenceComponentCommand,
  SageMakerClient,
  UpdateEndpointWeightsAndCapacitiesCommand,
  UpdateInferenceComponentRuntimeConfigCommand,
} from '@aws-sdk/client-sagemaker';
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  LAYOUT_BUSY,
  SCALABLE_TARGET_NOT_REGISTERED,
  type DeploymentInput,
  type ExecutionState,
  type PinnedScalableTarget,
  type ScalingState,
  type ScalingSuspendedState,
} from '../../lib/benchmark/pipeline-state';
import { COMPONENT_COPY_DIMENSION, VARIANT_INSTANCE_DIMENSION, componentResourceId, variantResourceId } from '../../lib/endpoint/scalable-dimensions';
import { createLogger } from './deps';

/**
 * Pins the layout a sweep measures, and gives scaling back afterwards.
 * - pin: suspend dynamic scaling of the deployment's scalable target (RegisterScalableTarget with
 *   SuspendedState DynamicScalingInSuspended / DynamicScalingOutSuspended: the policies stay, they
 *   just do not act: https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-suspend-resume-scaling.html),
 *   then set the planned capacity: UpdateInferenceComponentRuntimeConfig CopyCount for components
 *   (this also brings a component scaled to zero back: "try to increase the capacity by invoking
 *   UpdateInferenceComponentRuntimeConfig API", SageMaker's own message), UpdateEndpointWeightsAndCapacities
 *   DesiredInstanceCount for a variant.
 *   https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateInferenceComponentRuntimeConfig.html
 *   https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpointWeightsAndCapacities.html
 * - restore: register each suspended target again with the SuspendedState it had before.
 */

export interface ScalingDeps {
  readonly sagemaker: SageMakerClient;
  readonly autoScaling: ApplicationAutoScalingClient;
  readonly logger: Logger;
}

export interface ScalingEvent {
  readonly action: 'pin' | 'restore';
  readonly state: ExecutionState;
}

export interface RestoreResult {
  readonly restored: number;
}

const NAMESPACE = 'sagemaker';

/** Thrown while the deployment's scalable target is not registered yet (the state machine retries). */
export class ScalableTargetNotRegistered extends Error {
  constructor(resourceId: string) {
    super(`scalable target ${resourceId} is not registered yet (CloudFormation registers it after the resource exists)`);
    this.name = SCALABLE_TARGET_NOT_REGISTERED;
  }
}

/** Thrown while the resource is Updating (the state machine retries): its capacity is set once it is InService. */
export class LayoutBusy extends Error {
  constructor(resource: string, status: string) {
    super(`${resource} is ${status}; the planned capacity is set once it is InService`);
    this.name = LAYOUT_BUSY;
  }
}

interface TargetRef {
  readonly resourceId: string;
  readonly scalableDimension: ScalableDimension;
  readonly plannedCapacity: number;
  readonly variantName?: string;
}

/** The deployment's scalable target: its inference component's copies, or its variant's instances. */
async function targetOf(deps: ScalingDeps, d: DeploymentInput): Promise<TargetRef> {
  if (d.inferenceComponentName !== undefined) {
    return { resourceId: componentResourceId(d.inferenceComponentName), scalableDimension: COMPONENT_COPY_DIMENSION, plannedCapacity: d.copies };
  }
  const endpoint = await deps.sagemaker.send(new DescribeEndpointCommand({ EndpointName: d.endpointName }));
  const variantName = endpoint.ProductionVariants?.[0]?.VariantName;
  if (variantName === undefined) throw new Error(`endpoint ${d.endpointName} has no production variant to pin`);
  return { resourceId: variantResourceId(d.endpointName, variantName), scalableDimension: VARIANT_INSTANCE_DIMENSION, plannedCapacity: d.instances, variantName };
}

function fullState(state: Partial<ScalingSuspendedState> | undefined): ScalingSuspendedState {
  return {
    DynamicScalingInSuspended: state?.DynamicScalingInSuspended === true,
    DynamicScalingOutSuspended: state?.DynamicScalingOutSuspended === true,
    ScheduledScalingSuspended: state?.ScheduledScalingSuspended === true,
  };
}

async function pin(deps: ScalingDeps, state: ExecutionState): Promise<ScalingState> {
  const d = state.deployment;
  if (d.autoscaling === undefined) return { targets: [], plannedCapacity: d.inferenceComponentName !== undefined ? d.copies : d.instances };
  const ref = await targetOf(deps, d);
  const described = await deps.autoScaling.send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: NAMESPACE, ResourceIds: [ref.resourceId], ScalableDimension: ref.scalableDimension }),
  );
  const target = described.ScalableTargets?.[0];
  if (target === undefined) throw new ScalableTargetNotRegistered(ref.resourceId);
  const suspendedBefore = fullState(target.SuspendedState);
  await deps.autoScaling.send(
    new RegisterScalableTargetCommand({
      ServiceNamespace: NAMESPACE,
      ResourceId: ref.resourceId,
      ScalableDimension: ref.scalableDimension,
      SuspendedState: { DynamicScalingInSuspended: true, DynamicScalingOutSuspended: true, ScheduledScalingSuspended: suspendedBefore.ScheduledScalingSuspended },
    }),
  );
  const capacityBefore = await setCapacity(deps, d, ref);
  const pinned: PinnedScalableTarget = { resourceId: ref.resourceId, scalableDimension: ref.scalableDimension, suspendedBefore };
  deps.logger.info('layout pinned', { resourceId: ref.resourceId, plannedCapacity: ref.plannedCapacity, capacityBefore, suspendedBefore });
  return { targets: [pinned], plannedCapacity: ref.plannedCapacity, capacityBefore };
}

/** Sets the planned capacity when the autoscaler left another; returns the desired capacity found. */
async function setCapacity(deps: ScalingDeps, d: DeploymentInput, ref: TargetRef): Promise<number> {
  if (d.inferenceComponentName !== undefined) {
    const ic = await deps.sagemaker.send(new DescribeInferenceComponentCommand({ InferenceComponentName: d.inferenceComponentName }));
    const desired = ic.RuntimeConfig?.DesiredCopyCount ?? 0;
    if (desired !== ref.plannedCapacity) {
      if (ic.InferenceComponentStatus !== 'InService') throw new LayoutBusy(`inference component ${d.inferenceComponentName}`, ic.InferenceComponentStatus ?? 'Unknown');
      await deps.sagemaker.send(
        new UpdateInferenceComponentRuntimeConfigCommand({ InferenceComponentName: d.inferenceComponentName, DesiredRuntimeConfig: { CopyCount: ref.plannedCapacity } }),
      );
    }
    return desired;
  }
  const endpoint = await deps.sagemaker.send(new DescribeEndpointCommand({ EndpointName: d.endpointName }));
  const variant = endpoint.ProductionVariants?.find((v) => v.VariantName === ref.variantName);
  const desired = variant?.DesiredInstanceCount ?? variant?.CurrentInstanceCount ?? 0;
  if (desired !== ref.plannedCapacity) {
    if (endpoint.EndpointStatus !== 'InService') throw new LayoutBusy(`endpoint ${d.endpointName}`, endpoint.EndpointStatus ?? 'Unknown');
    await deps.sagemaker.send(
      new UpdateEndpointWeightsAndCapacitiesCommand({ EndpointName: d.endpointName, DesiredWeightsAndCapacities: [{ VariantName: ref.variantName, DesiredInstanceCount: ref.plannedCapacity }] }),
    );
  }
  return desired;
}

async function restore(deps: ScalingDeps, state: ExecutionState): Promise<RestoreResult> {
  const targets = state.scaling?.targets ?? [];
  for (const t of targets) {
    await deps.autoScaling.send(
      new RegisterScalableTargetCommand({ ServiceNamespace: NAMESPACE, ResourceId: t.resourceId, ScalableDimension: t.scalableDimension as ScalableDimension, SuspendedState: { ...t.suspendedBefore } }),
    );
    deps.logger.info('scaling restored', { resourceId: t.resourceId, suspendedState: t.suspendedBefore });
  }
  return { restored: targets.length };
}

export function createScalingHandler(deps: ScalingDeps) {
  return async (event: ScalingEvent): Promise<ScalingState | RestoreResult> => {
    if (event.action === 'pin') return pin(deps, event.state);
    if (event.action === 'restore') return restore(deps, event.state);
    throw new Error(`scaling: action must be 'pin' or 'restore', got ${JSON.stringify((event as { action?: unknown }).action)}`);
  };
}

export function defaultScalingDeps(): ScalingDeps {
  return { sagemaker: new SageMakerClient({}), autoScaling: new ApplicationAutoScalingClient({}), logger: createLogger('llm-bench-scaling') };
}

let cached: ReturnType<typeof createScalingHandler> | undefined;
/** Lambda entry point; clients are built on the first invocation and reused while warm. */
export const handler = (event: ScalingEvent): Promise<ScalingState | RestoreResult> => (cached ??= createScalingHandler(defaultScalingDeps()))(event);
