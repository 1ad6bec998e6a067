import { App } from 'aws-cdk-lib';
import { UserInputError } from '../../lib/errors';
import { buildApp, DEFAULT_FLEET_PATH } from '../../lib/fleet/app';
import type { ResolvedDeployment } from '../../lib/fleet/types';
import { CAPACITY_TIMING_FIELDS, capacityTimingSource, copyLoadMs, instanceAddMs, resolveCapacityTimingLayers, type CapacityTimingParams, type ResolvedCapacityTiming } from '../../lib/planner/capacity-timing';
import type { ScenarioResult } from '../../lib/results/scenario';
import { scalingOfTemplate, type TemplateScaling } from '../local/control-plane/scaling-policies';
import type { TargetTrackingModel } from '../local/control-plane/target-tracking';
import { startLocalEndpoint, type LocalEndpoint } from '../local';
import type { LocalEndpointOptions } from '../local/server';
import { OFFLINE_APP_PROPS } from '../offline/synth';

/**
 * A local endpoint twin of one fleet deployment whose autoscaling runs while it serves: the scalable
 * target, target tracking policy and scale-out-from-zero step policy + alarm are read from the
 * deployment stack's synthesized template (not from the fleet file), and new copies take the
 * modelled load time (capacity-timing.ts). A variant without inference components scales instances
 * (endpoint/NAME/variant/VARIANT, sagemaker:variant:DesiredInstanceCount): the twin starts with
 * MinCapacity instances, and each instance target tracking adds is in service after the modelled
 * provisioning plus model load.
 */
export interface ScalingTwinOptions {
  readonly deployment: string;
  /** @default fleets/published-study.yaml */
  readonly fleetPath?: string;
  /** @default 30 */
  readonly speedup?: number;
  /** Copies in service when the twin starts (≥ 1; a scenario sets 0 through the API). @default the target's MinCapacity, at least 1 */
  readonly startCopies?: number;
  /** Overrides of the capacity model over the fleet's `benchmark.twin.capacity` (the --capacity flag). */
  readonly capacity?: Partial<CapacityTimingParams>;
  readonly tracking?: Partial<TargetTrackingModel>;
  /** @default 0 (ephemeral) */
  readonly port?: number;
}

export interface ScalingTwin {
  readonly endpoint: LocalEndpoint;
  readonly deployment: ResolvedDeployment;
  /** The policies as the synthesized template declares them. */
  readonly policies: readonly TemplateScaling[];
  readonly capacity: CapacityTimingParams;
  /** Where each capacity parameter came from: the documented default, the fleet or the flag. */
  readonly capacityOrigins: ResolvedCapacityTiming['origins'];
  /** Modelled time of one new copy, virtual ms. */
  readonly copyLoadMs: number;
  /** Modelled time of one new instance with its copy, virtual ms. */
  readonly instanceAddMs: number;
}

/** The deployment and its stack's autoscaling, from an in-process synth of the fleet (asset bundling off). */
export function synthesizeDeploymentScaling(fleetPath: string, deploymentId: string): { deployment: ResolvedDeployment; policies: TemplateScaling[] } {
  const app = new App(OFFLINE_APP_PROPS);
  const built = buildApp(app, { fleetPath, region: 'us-east-1', account: '123456789012', log: () => undefined });
  const deployment = built.fleet.deployments.find((d) => d.id === deploymentId);
  if (deployment === undefined) {
    throw new UserInputError('deployment', `'${deploymentId}' is not in ${fleetPath}; deployments: ${built.fleet.deployments.map((d) => d.id).join(', ')}`);
  }
  const stack = built.deployments.find((s) => s.stackName === deployment.stackName);
  if (stack === undefined) throw new Error(`no stack ${deployment.stackName} in the synthesized fleet`);
  const template = app.synth().getStackArtifact(stack.artifactId).template as Parameters<typeof scalingOfTemplate>[0];
  return { deployment, policies: scalingOfTemplate(template) };
}

export async function startScalingTwin(opts: ScalingTwinOptions): Promise<ScalingTwin> {
  const { deployment, policies } = synthesizeDeploymentScaling(opts.fleetPath ?? DEFAULT_FLEET_PATH, opts.deployment);
  return startScalingTwinOf(deployment, policies, opts);
}

/**
 * The autoscaling twin of a deployment whose policies are already read from its template (the
 * offline pipeline synthesizes the fleet once). `authorize` judges every call (the IAM judge).
 */
export async function startScalingTwinOf(
  deployment: ResolvedDeployment,
  policies: readonly TemplateScaling[],
  opts: Omit<ScalingTwinOptions, 'deployment' | 'fleetPath'> & { readonly authorize?: LocalEndpointOptions['authorize'] },
): Promise<ScalingTwin> {
  if (policies.length === 0) {
    throw new UserInputError('deployment', `'${deployment.id}' has no autoscaling in its template; scenarios run on deployments with \`autoscaling\` (copies of inference components, or instances of a variant)`);
  }
  // A variant without components scales its instance count (sagemaker:variant:DesiredInstanceCount).
  const variant = deployment.inferenceComponentName === undefined;
  const resolved = resolveCapacityTimingLayers({
    ...(deployment.twinCapacity !== undefined ? { fleet: deployment.twinCapacity } : {}),
    ...(opts.capacity !== undefined ? { flag: opts.capacity } : {}),
  });
  const capacity = resolved.params;
  const model = deployment.model;
  const loadMs = copyLoadMs(model, capacity);
  const step = policies.find((p) => p.stepScaleOut)?.stepScaleOut;
  const min = policies[0]?.minCapacity ?? 1;
  const endpoint = await startLocalEndpoint({
    model: deployment.model,
    instance: deployment.instanceType,
    tp: deployment.tp,
    copies: variant ? deployment.copies : Math.max(1, opts.startCopies ?? min),
    instances: variant ? Math.max(1, min) : 1,
    tgi: deployment.tgi,
    speedup: opts.speedup ?? 30,
    endpointName: deployment.endpointName,
    inferenceComponents: variant ? [] : [deployment.inferenceComponentName as string],
    port: opts.port ?? 0,
    ...(opts.authorize !== undefined ? { authorize: opts.authorize } : {}),
    controlPlane: {
      lifecycle: {
        endpointCreateMs: 0,
        componentCreateDelayMs: 0,
        copyPlacementMs: loadMs,
        // An instance added to the variant: provisioning, then its model loads (UpdateEndpointWeightsAndCapacities: Updating → InService).
        endpointUpdateMs: instanceAddMs(model, capacity),
        rollbackMs: 0,
        // The alarm goes to ALARM at the end of its first breaching period(s); its action runs the step policy.
        scaleOutFromZeroMs: step ? step.alarm.periodS * step.alarm.datapointsToAlarm * 1000 : 0,
      },
    },
    scaling: { policies, ...(opts.tracking ? { tracking: opts.tracking } : {}) },
  });
  return { endpoint, deployment, policies, capacity, capacityOrigins: resolved.origins, copyLoadMs: loadMs, instanceAddMs: instanceAddMs(model, capacity) };
}

/** scenario.json's `capacityModel`: the modelled times, each parameter's value and where it came from (`{field}Source`). */
export function capacityModelOf(twin: Pick<ScalingTwin, 'capacity' | 'capacityOrigins' | 'copyLoadMs' | 'instanceAddMs'>): NonNullable<ScenarioResult['capacityModel']> {
  return {
    copyLoadS: twin.copyLoadMs / 1000,
    instanceAddS: twin.instanceAddMs / 1000,
    assumptions: Object.fromEntries(CAPACITY_TIMING_FIELDS.flatMap((f) => [[f, twin.capacity[f]], [`${f}Source`, capacityTimingSource(f, twin.capacityOrigins[f])]])),
  };
}
