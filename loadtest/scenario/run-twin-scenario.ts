import { UserInputError } from '../../lib/errors';
import type { ScenarioResult, ScenarioSpec } from '../../lib/results/scenario';
import type { CapacityTimingParams } from '../../lib/planner/capacity-timing';
import type { TargetTrackingModel } from '../local/control-plane/target-tracking';
import { createPayloadSource } from '../payload';
import { createTarget } from '../targets';
import { capacityClients, createCapacityReader } from './capacity-reader';
import { runScenario, type EndpointClock } from './run-scenario';
import { capacityModelOf, startScalingTwin } from './scaling-twin';
import { socketsFor } from './schedule';
import { cloudWatchClientOf } from '../telemetry/cli-telemetry';
import { createScenarioTelemetry } from '../telemetry/scenario-telemetry';

/**
 * A scenario against the autoscaling twin of a fleet deployment, all offline: the twin's policies
 * come from the deployment's synthesized template, the load goes through the SageMaker runtime client
 * and capacity is read through the SageMaker and Application Auto Scaling clients, all pointed at it.
 */
export interface TwinScenarioOptions {
  readonly deployment: string;
  readonly spec: ScenarioSpec;
  readonly fleetPath?: string;
  /** @default 30 */
  readonly speedup?: number;
  /** Overrides of the fleet's `benchmark.twin.capacity` (the --capacity flag), field by field. */
  readonly capacity?: Partial<CapacityTimingParams>;
  readonly tracking?: Partial<TargetTrackingModel>;
  /** @default 256 / 128 */
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly onSample?: Parameters<typeof runScenario>[0]['onSample'];
  /** Read the twin's CloudWatch telemetry through the real client and join it (`server`). @default true */
  readonly telemetry?: boolean;
}

export async function runTwinScenario(opts: TwinScenarioOptions): Promise<ScenarioResult> {
  const twin = await startScalingTwin({
    deployment: opts.deployment,
    ...(opts.fleetPath ? { fleetPath: opts.fleetPath } : {}),
    speedup: opts.speedup ?? 30,
    ...(opts.capacity ? { capacity: opts.capacity } : {}),
    ...(opts.tracking ? { tracking: opts.tracking } : {}),
  });
  const { endpoint, deployment } = twin;
  const policy = twin.policies[0];
  if (opts.spec.kind === 'scale-from-zero' && (policy?.minCapacity !== 0 || policy.stepScaleOut === undefined)) {
    await endpoint.close();
    throw new UserInputError('scenario', `scale-from-zero needs a deployment with autoscaling.scaleToZero (MinCapacity 0 and the NoCapacityInvocationFailures step policy); '${deployment.id}' has MinCapacity ${String(policy?.minCapacity)}`);
  }
  // Undefined for a variant whose instance count scales.
  const component = deployment.inferenceComponentName;
  const target = createTarget(
    { kind: 'sagemaker', endpointName: deployment.endpointName, ...(component !== undefined ? { inferenceComponent: component } : {}) },
    { maxSockets: socketsFor(opts.spec), endpointUrl: endpoint.url, region: 'us-east-1', retries: 0 },
  );
  const info = (await (await fetch(`${endpoint.url}/info`)).json()) as { virtual_clock: { virtual_now_ms: number; wall_now_ms: number; speedup: number } };
  const clock: EndpointClock = { speedup: info.virtual_clock.speedup, anchorWallMs: info.virtual_clock.wall_now_ms, anchorVirtualMs: info.virtual_clock.virtual_now_ms };
  const cloudWatch = opts.telemetry === false ? undefined : cloudWatchClientOf({ endpointUrl: endpoint.url });
  const telemetryTarget = { endpointName: deployment.endpointName, inferenceComponent: component, gpusPerInstance: deployment.instanceType.acceleratorCount };
  try {
    return await runScenario({
      ...(cloudWatch ? { telemetry: createScenarioTelemetry({ client: cloudWatch, target: telemetryTarget, clock: { speedup: clock.speedup, originMs: twin.endpoint.clockOriginMs ?? 0 } }) } : {}),
      spec: opts.spec,
      target,
      payload: createPayloadSource({ inputTokens: opts.inputTokens ?? 256, outputTokens: opts.outputTokens ?? 128 }),
      capacity: createCapacityReader(capacityClients({ endpointUrl: endpoint.url }), deployment.endpointName, component),
      clock,
      // A variant starts at MinCapacity instances (the twin starts so); a component is set to its starting copies.
      ...(component !== undefined ? { startCopies: opts.spec.kind === 'scale-from-zero' ? 0 : (policy?.minCapacity ?? 1) } : {}),
      hourlyUsd: deployment.instanceType.price.usd,
      priceSource: deployment.instanceType.price.source.url,
      deployment: { id: deployment.id, instanceType: deployment.instanceType.name, model: deployment.model.id },
      ...(policy
        ? {
            policy: {
              minCapacity: policy.minCapacity,
              maxCapacity: policy.maxCapacity,
              ...(policy.targetTracking
                ? {
                    metricType: policy.targetTracking.metricType,
                    targetValue: policy.targetTracking.targetValue,
                    scaleOutCooldownS: policy.targetTracking.scaleOutCooldownS,
                    scaleInCooldownS: policy.targetTracking.scaleInCooldownS,
                  }
                : {}),
            },
          }
        : {}),
      capacityModel: capacityModelOf(twin),
      ...(opts.onSample ? { onSample: opts.onSample } : {}),
    });
  } finally {
    cloudWatch?.destroy();
    await target.close();
    await endpoint.close();
  }
}
