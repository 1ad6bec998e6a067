import { setMaxListeners } from 'node:events';
import { UserInputError } from '../../lib/errors';
import { LevelAccumulator } from '../../lib/results/level-accumulator';
import type { ArrivalProcess, RequestRecord } from '../../lib/results/records';
import type { Slo } from '../../lib/results/slo';
import type { PayloadSource } from '../payload';
import { faultFromException } from '../targets/error-kinds';
import { toRecord } from '../targets/record';
import type { GenerationRequest, Target } from '../targets/types';
import { arrivalGaps, validateArrivals } from './arrivals';
import { startClientMonitor } from './client-monitor';
import type { LevelRun } from './run-level';

export interface RunOpenLoopOptions {
  readonly target: Target;
  readonly payload: PayloadSource;
  /** Offered requests per second in endpoint time (a local endpoint with `speedup` x is sent x times as many per wall second). */
  readonly ratePerS: number;
  readonly arrival: ArrivalProcess;
  /** Gamma shape (1 = Poisson), with arrival `gamma`. */
  readonly burstiness?: number;
  /** Seed of the arrival gaps. @default 1 */
  readonly seed?: number;
  /** Cap on requests in flight: arrivals over it wait in order for a free slot (and are counted). @default no cap */
  readonly maxConcurrency?: number;
  /** Key of the level in files and plans (records' `concurrency`; their `worker` is the connection slot the request used). */
  readonly levelKey: number;
  /** Arrivals sent first at the same rate and marked `warmup`. @default 0 */
  readonly warmupRequests?: number;
  /** Measured window, wall s: arrivals stop this long after the first measured one. */
  readonly durationS?: number;
  /** Measured window by count: exactly this many measured arrivals. */
  readonly requests?: number;
  readonly onRecord?: (record: RequestRecord) => void;
  readonly signal?: AbortSignal;
  /** Time compression of a local endpoint. @default 1 */
  readonly speedup?: number;
  readonly slo?: Slo;
  /** Keep every record in memory (`records`). @default true */
  readonly keepRecords?: boolean;
  /** Epoch ms to start at (processes of one level start together). */
  readonly startAtEpochMs?: number;
  /** Which measurement of a repeated level this run is (0-based), stamped on its records. */
  readonly repeat?: number;
}

function validate(opts: RunOpenLoopOptions): void {
  validateArrivals({ ratePerS: opts.ratePerS, process: opts.arrival, burstiness: opts.burstiness });
  if (opts.durationS === undefined && opts.requests === undefined) throw new UserInputError('durationS', 'give a measured window: `durationS` or `requests`');
  if (opts.durationS !== undefined && !(opts.durationS > 0)) throw new UserInputError('durationS', `${opts.durationS} must be > 0 seconds`);
  if (opts.requests !== undefined && (!Number.isInteger(opts.requests) || opts.requests < 1)) throw new UserInputError('requests', `${opts.requests} must be an integer ≥ 1`);
  if (opts.maxConcurrency !== undefined && (!Number.isInteger(opts.maxConcurrency) || opts.maxConcurrency < 1)) {
    throw new UserInputError('maxConcurrency', `${opts.maxConcurrency} must be an integer ≥ 1`);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One level as an open loop: requests arrive at `ratePerS` (seeded Poisson, gamma or constant gaps)
 * and are sent at their arrival whatever the endpoint does, so a slow endpoint accumulates requests
 * in flight instead of slowing the load. Each record keeps its intended send time (`scheduledMs`,
 * the arrival) and its actual one (`sentMs`); with `maxConcurrency`, arrivals over the cap wait in
 * order for a slot (`capWaitMs`). After the window no new arrival is made; waiting and in-flight
 * requests complete and are counted.
 */
export async function runOpenLoop(opts: RunOpenLoopOptions): Promise<LevelRun> {
  validate(opts);
  const { target, payload, onRecord } = opts;
  const signal = opts.signal ?? new AbortController().signal;
  setMaxListeners(0, signal);
  const speedup = opts.speedup ?? 1;
  // Gaps in wall ms: the endpoint-time rate runs `speedup` times faster on a time-compressed endpoint.
  const nextGap = arrivalGaps({ ratePerS: opts.ratePerS * speedup, process: opts.arrival, burstiness: opts.burstiness, seed: opts.seed });
  const warmupRequests = opts.warmupRequests ?? 0;
  const measuredLimit = opts.requests ?? Infinity;
  const windowMs = opts.durationS !== undefined ? opts.durationS * 1000 : Infinity;
  const cap = opts.maxConcurrency ?? Infinity;
  // Each request in flight gets its own connection slot (a target keeps one connection per slot):
  // the lowest free one, so the slots in use stay few and the connections are reused.
  const freeSlots: number[] = [];
  let slotsMade = 0;
  const takeSlot = (): number => {
    if (freeSlots.length === 0) return slotsMade++;
    let best = 0;
    for (let i = 1; i < freeSlots.length; i++) if (freeSlots[i] < freeSlots[best]) best = i;
    return freeSlots.splice(best, 1)[0];
  };
  const keep = opts.keepRecords !== false;
  const records: RequestRecord[] = [];
  const accumulator = new LevelAccumulator(speedup, opts.slo);
  const waiting: { arrivalMs: number; warmup: boolean; seq: number }[] = [];
  const inFlight = new Set<Promise<void>>();
  let peakInFlight = 0;

  if (opts.startAtEpochMs !== undefined) {
    const waitMs = opts.startAtEpochMs - Date.now();
    if (waitMs > 0) await sleep(waitMs);
  }
  const monitor = startClientMonitor();

  /** Sends one arrival now; `queued` when it waited for a slot under the cap (its wait is then not send lag). */
  function send(arrivalMs: number, warmup: boolean, seq: number, queued: boolean): void {
    const now = performance.now();
    const next = payload.next();
    const capWaitMs = queued ? Math.max(0, now - arrivalMs) : undefined;
    const worker = takeSlot();
    const request: GenerationRequest = {
      prompt: next.prompt,
      messages: next.messages,
      inputTokens: next.inputTokens,
      maxNewTokens: next.maxNewTokens,
      concurrency: opts.levelKey,
      worker,
      seq,
      scheduledMs: arrivalMs,
      ...(capWaitMs !== undefined ? { capWaitMs } : {}),
      warmup,
      ...(opts.repeat !== undefined && opts.repeat > 0 ? { repeat: opts.repeat } : {}),
    };
    const done = (async () => {
      let record: RequestRecord;
      try {
        record = await target.generate(request, signal);
      } catch (error) {
        record = toRecord(request, { sentMs: now, endMs: performance.now(), fault: faultFromException(error, false, 0) });
      }
      if (keep) records.push(record);
      accumulator.add(record);
      onRecord?.(record);
    })();
    inFlight.add(done);
    peakInFlight = Math.max(peakInFlight, inFlight.size);
    void done.finally(() => {
      inFlight.delete(done);
      freeSlots.push(worker);
      const queued = waiting.shift();
      if (queued !== undefined && !signal.aborted) send(queued.arrivalMs, queued.warmup, queued.seq, true);
    });
  }
  let seq = 0;
  let measured = 0;
  let arrivalMs = performance.now();
  let windowEndMs = Infinity;
  while (!signal.aborted) {
    const warmup = seq < warmupRequests;
    if (!warmup) {
      if (measured >= measuredLimit) break;
      if (measured === 0) windowEndMs = arrivalMs + windowMs;
      else if (arrivalMs >= windowEndMs) break;
      measured += 1;
    }
    // Timers run on the event loop's cached clock and may fire a little early: sleep until the arrival has passed.
    for (let early = arrivalMs - performance.now(); early > 0; early = arrivalMs - performance.now()) await sleep(early);
    if (signal.aborted) break;
    if (inFlight.size < cap) send(arrivalMs, warmup, seq, false);
    else waiting.push({ arrivalMs, warmup, seq });
    seq += 1;
    arrivalMs += nextGap();
  }
  // Requests waiting for the cap are sent as slots free up; wait until nothing waits or flies.
  while (inFlight.size > 0) await Promise.race(inFlight);
  const client = monitor.stop();
  const level = accumulator.result({
    concurrency: opts.levelKey,
    speedup,
    offeredRatePerS: opts.ratePerS,
    openLoop: {
      arrival: opts.arrival,
      ...(opts.arrival === 'gamma' ? { burstiness: opts.burstiness ?? 1 } : {}),
      ...(opts.maxConcurrency !== undefined ? { maxConcurrency: opts.maxConcurrency } : {}),
      peakInFlight,
    },
    client,
  });
  return { records, accumulator, level };
}
