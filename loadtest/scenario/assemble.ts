import type { PayloadDescription, RequestRecord, TargetDescription } from '../../lib/results/records';
import {
  capacityOfDescription,
  deriveScenarioFigures,
  SCENARIO_RESULT_VERSION,
  type CapacityReading,
  type ScenarioResult,
  type ScenarioScalingActivity,
  type ScenarioSpec,
} from '../../lib/results/scenario';
import type { RawActivity } from './capacity-reader';
import { scenarioSecondsOf } from './drive';
import { buildSamples, capacityChanges, scenarioRequests, type TimedReading } from './series';

/** How the endpoint's clock relates to the client's: virtual = anchorVirtual + (wall − anchorWall) × speedup. */
export interface EndpointClock {
  readonly speedup: number;
  readonly anchorWallMs: number;
  readonly anchorVirtualMs: number;
}

export const REAL_TIME: EndpointClock = { speedup: 1, anchorWallMs: 0, anchorVirtualMs: 0 };

export interface AssembleInput {
  readonly spec: ScenarioSpec;
  /** Client epoch ms of scenario time 0. */
  readonly startWallMs: number;
  readonly clock: EndpointClock;
  /** Every request of the scenario (all windows, all workers). */
  readonly records: readonly RequestRecord[];
  /** Capacity at scenario time 0 (after the starting copies were set). */
  readonly startReading: CapacityReading;
  /** Readings taken during the scenario, any order. */
  readonly readings: readonly TimedReading[];
  /** Capacity read once the load ended: the last window's state. */
  readonly endReading: CapacityReading;
  readonly activities: readonly RawActivity[];
  readonly target: TargetDescription;
  readonly payload: PayloadDescription;
  readonly hourlyUsd: number;
  readonly priceSource: string;
  readonly deployment?: ScenarioResult['deployment'];
  readonly policy?: ScenarioResult['policy'];
  readonly capacityModel?: ScenarioResult['capacityModel'];
  /** Scenario seconds the load ended at. @default the schedule's end, or the last request's end when later */
  readonly endS?: number;
}

/**
 * The scenario's result from what was observed: the time series (client windows joined with the
 * capacity readings), the capacity changes, the scaling activities on the scenario's clock and the
 * derived figures. The CLI's single-process run and the pipeline's finish step both end here.
 */
export function assembleScenarioResult(input: AssembleInput): ScenarioResult {
  const { spec, clock } = input;
  const slice = { startWallMs: input.startWallMs, speedup: clock.speedup };
  const toS = (wallEpochMs: number): number => scenarioSecondsOf(slice, wallEpochMs);
  const startVirtual = clock.anchorVirtualMs + (input.startWallMs - clock.anchorWallMs) * clock.speedup;
  const toVirtualS = (virtualEpochMs: number): number => (virtualEpochMs - startVirtual) / 1000;
  const scheduleEnd = spec.idleS + spec.overS + spec.holdS + spec.fallS;
  const lastEnd = input.records.reduce((m, r) => Math.max(m, toS(r.clockOriginMs + r.endMs)), 0);
  const endS = input.endS ?? Math.max(scheduleEnd, lastEnd);
  const readings: TimedReading[] = [{ tS: 0, ...input.startReading }, ...[...input.readings].sort((a, b) => a.tS - b.tS).filter((r) => r.tS < endS), { tS: endS, ...input.endReading }];
  // A variant without inference components scales instances (DescribeEndpoint CurrentInstanceCount).
  const capacityUnit = input.startReading.copiesInService === undefined && input.startReading.componentStatus === undefined ? 'instances' : 'copies';
  const startCapacity = input.startReading.copiesInService ?? input.startReading.instancesInService ?? 0;
  const activities: ScenarioScalingActivity[] = input.activities
    .map((a) => {
      const toCapacity = capacityOfDescription(a.description);
      return {
        startS: toVirtualS(a.startMs),
        ...(a.endMs !== undefined ? { endS: toVirtualS(a.endMs) } : {}),
        statusCode: a.statusCode,
        description: a.description,
        cause: a.cause,
        ...(toCapacity !== undefined ? { toCapacity } : {}),
      };
    })
    .filter((a) => a.startS >= -1e-6)
    .sort((a, b) => a.startS - b.startS);
  const samples = buildSamples(spec, input.records, readings, toS, clock.speedup, endS);
  const changes = capacityChanges(readings, toVirtualS);
  const figures = deriveScenarioFigures({
    spec,
    samples,
    capacityChanges: changes,
    activities,
    requests: scenarioRequests(input.records, toS),
    startCapacity,
    hourlyUsd: input.hourlyUsd,
    durationS: endS,
  });
  return {
    schemaVersion: SCENARIO_RESULT_VERSION,
    spec,
    target: { ...input.target, speedup: clock.speedup },
    payload: input.payload,
    ...(input.deployment ? { deployment: input.deployment } : {}),
    startedAt: new Date(input.startWallMs).toISOString(),
    durationS: endS,
    ...(input.policy ? { policy: input.policy } : {}),
    ...(input.capacityModel ? { capacityModel: input.capacityModel } : {}),
    hourlyUsd: input.hourlyUsd,
    priceSource: input.priceSource,
    ...(capacityUnit === 'instances' ? { capacityUnit } : {}),
    samples,
    capacityChanges: changes,
    activities,
    figures,
  };
}
