import type { ScenarioResult, ScenarioSpec } from '../../lib/results/scenario';
import { scenarioDurationS } from '../../lib/results/scenario-schedule';
import type { PayloadSource } from '../payload';
import type { Target } from '../targets/types';
import { endpointMsOf, type ScenarioTelemetry } from '../telemetry/scenario-telemetry';
import { assembleScenarioResult, REAL_TIME, type EndpointClock } from './assemble';
import type { CapacityReader } from './capacity-reader';
import { driveScenario, sampleCapacity, scenarioSecondsOf } from './drive';
import { prepareStartingCapacity } from './prepare';
import type { TimedReading } from './series';

export { REAL_TIME, type EndpointClock };

export interface RunScenarioOptions {
  readonly spec: ScenarioSpec;
  readonly target: Target;
  readonly payload: PayloadSource;
  readonly capacity: CapacityReader;
  readonly clock?: EndpointClock;
  /** Copies to set (UpdateInferenceComponentRuntimeConfig) and wait for before the load starts: 0 for scale-from-zero. */
  readonly startCopies?: number;
  /** Longest wait for the starting copies, wall ms. @default 180000 */
  readonly prepareTimeoutMs?: number;
  readonly hourlyUsd: number;
  readonly priceSource: string;
  readonly deployment?: ScenarioResult['deployment'];
  readonly policy?: ScenarioResult['policy'];
  readonly capacityModel?: ScenarioResult['capacityModel'];
  readonly onSample?: (reading: TimedReading) => void;
  readonly signal?: AbortSignal;
  /** The endpoint's CloudWatch telemetry, read once the load ended and joined to the result (`server`). */
  readonly telemetry?: ScenarioTelemetry;
}

/**
 * Runs one scenario in this process (`llm-bench scenario`): sets the starting capacity, drives the
 * schedule's concurrency in a closed loop (driveScenario) while reading capacity every `sampleS`
 * (sampleCapacity), then builds the time series and the derived figures (assembleScenarioResult).
 * The pipeline runs the same pieces as Lambda steps over time windows.
 */
export async function runScenario(opts: RunScenarioOptions): Promise<ScenarioResult> {
  const { spec, target, payload, capacity } = opts;
  const clock = opts.clock ?? REAL_TIME;
  if (opts.startCopies !== undefined) await prepareStartingCapacity(capacity, opts.startCopies, opts.prepareTimeoutMs ?? 180_000);
  const startReading = await capacity.read();
  const durationS = scenarioDurationS(spec);
  const slice = { spec, startWallMs: Date.now(), speedup: clock.speedup, fromS: 0, toS: durationS };
  let done = false;
  const sampler = sampleCapacity({ ...slice, capacity, until: () => done, ...(opts.onSample ? { onSample: opts.onSample } : {}) });
  const records = await driveScenario({ ...slice, target, payload, ...(opts.signal ? { signal: opts.signal } : {}) });
  done = true;
  const readings = await sampler;
  const endS = Math.max(durationS, scenarioSecondsOf(slice, Date.now()));
  // The state at the scenario's end (read just after it): the last window's capacity.
  const endReading = await capacity.read();
  const result = assembleScenarioResult({
    spec,
    startWallMs: slice.startWallMs,
    clock,
    records,
    startReading,
    readings,
    endReading,
    activities: await capacity.activities(),
    target: target.description,
    payload: payload.describe(),
    hourlyUsd: opts.hourlyUsd,
    priceSource: opts.priceSource,
    endS,
    ...(opts.deployment ? { deployment: opts.deployment } : {}),
    ...(opts.policy ? { policy: opts.policy } : {}),
    ...(opts.capacityModel ? { capacityModel: opts.capacityModel } : {}),
  });
  return opts.telemetry ? opts.telemetry.attach(result, endpointMsOf(clock, slice.startWallMs)) : result;
}
