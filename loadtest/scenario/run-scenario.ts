import { setMaxListeners } from 'node:events';
import {
  capacityOfDescription,
  deriveScenarioFigures,
  SCENARIO_RESULT_VERSION,
  type ScenarioResult,
  type ScenarioScalingActivity,
  type ScenarioSpec,
} from '../../lib/results/scenario';
import type { RequestRecord } from '../../lib/results/records';
import type { PayloadSource } from '../payload';
import { faultFromException } from '../targets/error-kinds';
import { toRecord } from '../targets/record';
import type { GenerationRequest, Target } from '../targets/types';
import type { CapacityReader } from './capacity-reader';
import { offeredAt, scenarioDurationS } from './schedule';
import { buildSamples, capacityChanges, scenarioErrorKind, scenarioRequests, type TimedReading } from './series';

/** How the endpoint's clock relates to the client's: virtual = anchorVirtual + (wall − anchorWall) × speedup. */
export interface EndpointClock {
  readonly speedup: number;
  readonly anchorWallMs: number;
  readonly anchorVirtualMs: number;
}

export const REAL_TIME: EndpointClock = { speedup: 1, anchorWallMs: 0, anchorVirtualMs: 0 };

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
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Runs one scenario: sets the starting capacity, drives the schedule's concurrency in a closed loop
 * (a client backs off `retryBackoffS` after a no-capacity or throttled answer), reads capacity every
 * `sampleS`, then builds the time series and the derived figures.
 */
export async function runScenario(opts: RunScenarioOptions): Promise<ScenarioResult> {
  const { spec, target, payload, capacity } = opts;
  const clock = opts.clock ?? REAL_TIME;
  const toVirtual = (wallMs: number): number => clock.anchorVirtualMs + (wallMs - clock.anchorWallMs) * clock.speedup;
  const wallPerScenarioS = 1000 / clock.speedup;
  const signal = opts.signal ?? new AbortController().signal;
  setMaxListeners(0, signal);

  if (opts.startCopies !== undefined) await prepare(capacity, opts.startCopies, opts.prepareTimeoutMs ?? 180_000);
  const startReading = await capacity.read();
  const startCapacity = startReading.copiesInService ?? startReading.instancesInService ?? 0;

  const durationS = scenarioDurationS(spec);
  const startWall = Date.now();
  const startVirtual = toVirtual(startWall);
  const elapsedS = (): number => ((Date.now() - startWall) / 1000) * clock.speedup;
  const toS = (wallEpochMs: number): number => ((wallEpochMs - startWall) / 1000) * clock.speedup;
  const toVirtualS = (virtualEpochMs: number): number => (virtualEpochMs - startVirtual) / 1000;

  const readings: TimedReading[] = [{ tS: 0, ...startReading }];
  let done = false;
  const sampler = (async () => {
    for (let k = 1; !done; k += 1) {
      await sleep(startWall + k * spec.sampleS * wallPerScenarioS - Date.now());
      if (done && k * spec.sampleS > durationS) break;
      // Timed when the answer arrives: the state it shows is the control plane's as of (about) then.
      const answer = await capacity.read();
      const reading = { tS: elapsedS(), ...answer };
      readings.push(reading);
      opts.onSample?.(reading);
    }
  })();

  const records: RequestRecord[] = [];
  const workers = Math.max(spec.from, spec.to);
  const backoffWallMs = spec.retryBackoffS * wallPerScenarioS;
  const idleWallMs = Math.max(5, Math.min(50, wallPerScenarioS / 4));
  async function worker(index: number): Promise<void> {
    let seq = 0;
    while (!signal.aborted) {
      const t = elapsedS();
      if (t >= durationS) return;
      const offered = offeredAt(spec, t);
      if (index >= offered) {
        await sleep(idleWallMs);
        continue;
      }
      const next = payload.next();
      const request: GenerationRequest = { ...next, concurrency: offered, worker: index, seq: seq++, scheduledMs: performance.now() };
      let record: RequestRecord;
      try {
        record = await target.generate(request, signal);
      } catch (error) {
        record = toRecord(request, { sentMs: request.scheduledMs, endMs: performance.now(), fault: faultFromException(error, false, 0) });
      }
      records.push(record);
      const kind = scenarioErrorKind(record);
      if (kind === 'no_capacity' || kind === 'throttled' || kind === 'overloaded') await sleep(backoffWallMs);
    }
  }
  await Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));
  done = true;
  await sampler;
  const endS = Math.max(durationS, elapsedS());
  const last = await capacity.read();
  // The state at the scenario's end (read just after it): the last window's capacity.
  readings.push({ tS: endS, ...last });

  const activities: ScenarioScalingActivity[] = (await capacity.activities())
    .map((a) => ({
      startS: toVirtualS(a.startMs),
      ...(a.endMs !== undefined ? { endS: toVirtualS(a.endMs) } : {}),
      statusCode: a.statusCode,
      description: a.description,
      cause: a.cause,
      ...(capacityOfDescription(a.description) !== undefined ? { toCapacity: capacityOfDescription(a.description) } : {}),
    }))
    .filter((a) => a.startS >= -1e-6)
    .sort((a, b) => a.startS - b.startS);
  const samples = buildSamples(spec, records, readings, toS, clock.speedup, endS);
  const changes = capacityChanges(readings, toVirtualS);
  const figures = deriveScenarioFigures({
    spec,
    samples,
    capacityChanges: changes,
    activities,
    requests: scenarioRequests(records, toS),
    startCapacity,
    hourlyUsd: opts.hourlyUsd,
    durationS: endS,
  });
  return {
    schemaVersion: SCENARIO_RESULT_VERSION,
    spec,
    target: { ...target.description, speedup: clock.speedup },
    payload: payload.describe(),
    ...(opts.deployment ? { deployment: opts.deployment } : {}),
    startedAt: new Date(startWall).toISOString(),
    durationS: endS,
    ...(opts.policy ? { policy: opts.policy } : {}),
    ...(opts.capacityModel ? { capacityModel: opts.capacityModel } : {}),
    hourlyUsd: opts.hourlyUsd,
    priceSource: opts.priceSource,
    samples,
    capacityChanges: changes,
    activities,
    figures,
  };
}

/** Sets the starting copy count and waits until that many copies are in service and the component is InService. */
async function prepare(capacity: CapacityReader, copies: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let reading = await capacity.read();
  while (reading.componentStatus !== 'InService' && Date.now() < deadline) {
    await sleep(100);
    reading = await capacity.read();
  }
  if (reading.copiesDesired !== copies) await capacity.setCopies(copies);
  for (;;) {
    reading = await capacity.read();
    if (reading.copiesInService === copies && reading.componentStatus === 'InService') return;
    if (Date.now() > deadline) throw new Error(`the inference component did not reach ${copies} copies in service within ${timeoutMs / 1000} s (now ${String(reading.copiesInService)}, ${String(reading.componentStatus)})`);
    await sleep(100);
  }
}
