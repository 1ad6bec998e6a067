import { setMaxListeners } from 'node:events';
import type { RequestRecord } from '../../lib/results/records';
import type { ScenarioSpec } from '../../lib/results/scenario';
import { loadOf, offeredAt } from '../../lib/results/scenario-schedule';
import type { PayloadSource } from '../payload';
import { faultFromException } from '../targets/error-kinds';
import { toRecord } from '../targets/record';
import type { GenerationRequest, Target } from '../targets/types';
import type { CapacityReader } from './capacity-reader';
import { scenarioArrivals } from './schedule';
import { scenarioErrorKind, type TimedReading } from './series';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Where a slice of a scenario sits on the clock: scenario time 0 at `startWallMs`, endpoint time `speedup` times wall time. */
export interface ScenarioSlice {
  readonly spec: ScenarioSpec;
  /** Client epoch ms of scenario time 0. */
  readonly startWallMs: number;
  /** Time compression of the endpoint (1 in AWS). */
  readonly speedup: number;
  /** The span this call covers, scenario seconds: [fromS, toS). */
  readonly fromS: number;
  readonly toS: number;
}

/** Scenario seconds of a client epoch ms. */
export function scenarioSecondsOf(slice: Pick<ScenarioSlice, 'startWallMs' | 'speedup'>, wallMs: number): number {
  return ((wallMs - slice.startWallMs) / 1000) * slice.speedup;
}

/** Client epoch ms of scenario seconds. */
export function wallMsOf(slice: Pick<ScenarioSlice, 'startWallMs' | 'speedup'>, scenarioS: number): number {
  return slice.startWallMs + (scenarioS * 1000) / slice.speedup;
}

/**
 * Continuity of each stream across windows (each window is another worker): a stream of the next
 * window starts once the same stream of this window has finished its last request, so the offered
 * concurrency never doubles at a window boundary.
 */
export interface StreamHandoff {
  /** Resolves when stream `index` of the previous window has finished (or at once for the first window). */
  wait(index: number): Promise<void>;
  /** Stream `index` of this window sends nothing more. */
  done(index: number): Promise<void>;
}

export interface DriveOptions extends ScenarioSlice {
  readonly target: Target;
  readonly payload: PayloadSource;
  readonly handoff?: StreamHandoff;
  /** This driver's share of the streams: stream i is driven by worker i mod `workers`. @default 0 of 1 */
  readonly worker?: number;
  readonly workers?: number;
  readonly signal?: AbortSignal;
}

/**
 * Drives the schedule's closed-loop concurrency over [fromS, toS): stream i sends a request
 * whenever the schedule offers more than i streams, one after another; a stream that gets a
 * no-capacity or throttled answer backs off `retryBackoffS`. No request starts at or after `toS`;
 * one in flight then finishes, and the next slice's stream starts after it (`handoff`). Records
 * carry the stream index as their worker.
 */
export async function driveScenario(opts: DriveOptions): Promise<RequestRecord[]> {
  if (loadOf(opts.spec) === 'rate') return driveRate(opts);
  const { spec, target, payload } = opts;
  const signal = opts.signal ?? new AbortController().signal;
  setMaxListeners(0, signal);
  const worker = opts.worker ?? 0;
  const workers = opts.workers ?? 1;
  const wallPerScenarioS = 1000 / opts.speedup;
  const backoffWallMs = spec.retryBackoffS * wallPerScenarioS;
  const idleWallMs = Math.max(5, Math.min(50, wallPerScenarioS / 4));
  const elapsedS = (): number => scenarioSecondsOf(opts, Date.now());
  await sleep(wallMsOf(opts, opts.fromS) - Date.now());
  const records: RequestRecord[] = [];
  const streams = Math.max(spec.from, spec.to);
  async function stream(index: number): Promise<void> {
    await opts.handoff?.wait(index);
    try {
      await loop(index);
    } finally {
      await opts.handoff?.done(index);
    }
  }
  async function loop(index: number): Promise<void> {
    let seq = 0;
    while (!signal.aborted) {
      const t = elapsedS();
      if (t >= opts.toS) return;
      const offered = offeredAt(spec, t);
      if (index >= offered) {
        await sleep(idleWallMs);
        continue;
      }
      const request: GenerationRequest = { ...payload.next(), concurrency: offered, worker: index, seq: seq++, scheduledMs: performance.now() };
      const record = await send(target, request, signal);
      records.push(record);
      const kind = scenarioErrorKind(record);
      if (kind === 'no_capacity' || kind === 'throttled' || kind === 'overloaded') await sleep(backoffWallMs);
    }
  }
  const mine = Array.from({ length: streams }, (_, i) => i).filter((i) => i % workers === worker);
  await Promise.all(mine.map((i) => stream(i)));
  return records;
}

/** Sends one request now; a thrown error becomes a record of its kind. */
async function send(target: Target, request: GenerationRequest, signal: AbortSignal): Promise<RequestRecord> {
  try {
    return await target.generate(request, signal);
  } catch (error) {
    return toRecord(request, { sentMs: request.scheduledMs, endMs: performance.now(), fault: faultFromException(error, false, 0) });
  }
}

/**
 * Drives a `rate` schedule over [fromS, toS) as an open loop: of the scenario's arrivals (one seeded
 * sequence from its start, scenarioArrivals), this driver sends those in the span whose index i has
 * i mod workers = worker, each at its arrival time whatever the endpoint answered (no back-off: a
 * refused arrival is counted, the rate does not slow). Requests in flight at `toS` finish; the next
 * window's arrivals start at `toS` on their own clock, so nothing waits for a hand-off. Records keep
 * the arrival as `scheduledMs`; their `worker` is this driver, their `concurrency` the requests this
 * driver had in flight when they were sent.
 */
async function driveRate(opts: DriveOptions): Promise<RequestRecord[]> {
  const { spec, target, payload } = opts;
  const signal = opts.signal ?? new AbortController().signal;
  setMaxListeners(0, signal);
  const worker = opts.worker ?? 0;
  const workers = opts.workers ?? 1;
  const records: RequestRecord[] = [];
  const inFlight = new Set<Promise<void>>();
  let seq = 0;
  for (const arrival of scenarioArrivals(spec)) {
    if (signal.aborted || arrival.tS >= opts.toS) break;
    if (arrival.tS < opts.fromS || arrival.index % workers !== worker) continue;
    const dueMs = wallMsOf(opts, arrival.tS);
    // Timers may fire a little early: sleep until the arrival has passed.
    for (let early = dueMs - Date.now(); early > 0; early = dueMs - Date.now()) await sleep(early);
    if (signal.aborted) break;
    // The arrival's intended send time on the performance clock (records' clock).
    const scheduledMs = performance.now() - Math.max(0, Date.now() - dueMs);
    const request: GenerationRequest = { ...payload.next(), concurrency: inFlight.size + 1, worker, seq: seq++, scheduledMs };
    const done = send(target, request, signal).then((record) => {
      records.push(record);
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  }
  await Promise.all([...inFlight]);
  return records;
}

/**
 * Reads capacity at every multiple of `spec.sampleS` in [fromS, toS) after 0 (time 0 is the
 * scenario's starting reading), each timed when its answer arrived.
 */
export async function sampleCapacity(opts: ScenarioSlice & { readonly capacity: CapacityReader; readonly onSample?: (reading: TimedReading) => void; readonly until?: () => boolean }): Promise<TimedReading[]> {
  const readings: TimedReading[] = [];
  const step = opts.spec.sampleS;
  for (let k = Math.max(1, Math.ceil(opts.fromS / step - 1e-9)); k * step < opts.toS - 1e-9; k += 1) {
    if (opts.until?.() === true) break;
    await sleep(wallMsOf(opts, k * step) - Date.now());
    const answer = await opts.capacity.read();
    const reading = { tS: scenarioSecondsOf(opts, Date.now()), ...answer };
    readings.push(reading);
    opts.onSample?.(reading);
  }
  return readings;
}
