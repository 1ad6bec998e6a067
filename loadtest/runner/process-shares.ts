import { UserInputError } from '../../lib/errors';
import type { ArrivalProcess } from '../../lib/results/records';

/** Highest `--processes`: more client processes than this gain nothing on one machine and cost a Node runtime each. */
export const MAX_PROCESSES = 64;

/** Checks a process count; errors name the domain field `processes`. */
export function validateProcesses(processes: number): void {
  if (!Number.isInteger(processes) || processes < 1 || processes > MAX_PROCESSES) {
    throw new UserInputError('processes', `${processes} must be an integer from 1 to ${MAX_PROCESSES}`);
  }
}

/** `total` split into `parts` whole shares as even as possible, the larger ones first (sum = total). */
export function splitCount(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/**
 * The seed of process `index` of a level spread over several processes, from the level's seed:
 * process 0 keeps it (one process runs exactly the load of an in-process run), the others get a
 * well-mixed 32-bit seed (MurmurHash3's fmix32 finalizer,
 * https://github.com/aappleby/smhasher/blob/master/src/MurmurHash3.cpp) so their arrival gaps and
 * payload draws are independent streams.
 */
export function processSeed(seed: number, index: number): number {
  if (index === 0) return seed;
  let h = (seed ^ Math.imul(index, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The load of one process in a closed-loop level. */
export interface ClosedLoopShare {
  readonly kind: 'closed';
  /** Workers of this process. */
  readonly concurrency: number;
  /** Its workers are numbered from here (after the previous processes'), so worker indices stay unique in the level. */
  readonly firstWorker: number;
  readonly warmupRequests: number;
  /** Measured requests of this process, for a level measured by count. */
  readonly requests?: number;
}

/** The load of one process in an open-loop level. */
export interface OpenLoopShare {
  readonly kind: 'open';
  /** Offered requests/s of this process (endpoint time). */
  readonly ratePerS: number;
  readonly arrival: ArrivalProcess;
  readonly burstiness?: number;
  readonly seed: number;
  /** Its share of the cap on requests in flight. */
  readonly maxConcurrency?: number;
  readonly warmupRequests: number;
  readonly requests?: number;
  /**
   * Delay of this process's first arrival, wall ms: constant arrivals of n processes are interleaved
   * (process i starts i gaps of the whole level's rate late) so that together they keep the level's
   * constant gap rather than arriving n at a time.
   */
  readonly phaseMs: number;
}

export type ProcessShare = ClosedLoopShare | OpenLoopShare;

/** A level's load as a whole, to split over processes. */
export type LevelLoad =
  | { readonly kind: 'closed'; readonly concurrency: number; readonly warmupRequests: number; readonly requests?: number }
  | {
      readonly kind: 'open';
      readonly ratePerS: number;
      readonly arrival: ArrivalProcess;
      readonly burstiness?: number;
      /** The level's arrival seed. @default 1 */
      readonly seed?: number;
      readonly maxConcurrency?: number;
      readonly warmupRequests: number;
      readonly requests?: number;
      /** Time compression of a local endpoint (arrival gaps are wall ms / speedup). @default 1 */
      readonly speedup?: number;
    };

/**
 * A level's load split over at most `processes` processes. Closed loop: the workers (and warm-up
 * and measured request counts) as even shares, never a process without a worker, so a level of c
 * workers uses min(c, processes) processes. Open loop: the offered rate divided evenly, each process
 * with its own arrival seed derived from the level's (processSeed); the sum of n independent Poisson
 * processes of rate R/n is a Poisson process of rate R, so Poisson arrivals are exact; gamma
 * arrivals keep their rate, but the superposition of n renewal processes tends to a Poisson process
 * as n grows (Palm–Khintchine theorem), so burstiness k ≠ 1 is diluted; constant arrivals are
 * phase-shifted to interleave. A cap on requests in flight is split as well
 * (min(cap, processes) processes); warm-up and measured counts as the workers.
 */
export function splitLoad(load: LevelLoad, processes: number): ProcessShare[] {
  validateProcesses(processes);
  if (load.kind === 'closed') {
    const n = Math.min(processes, load.concurrency, load.requests ?? Infinity);
    const workers = splitCount(load.concurrency, n);
    const warmups = splitCount(load.warmupRequests, n);
    const requests = load.requests !== undefined ? splitCount(load.requests, n) : undefined;
    let firstWorker = 0;
    return workers.map((concurrency, i) => {
      const share: ClosedLoopShare = {
        kind: 'closed',
        concurrency,
        firstWorker,
        warmupRequests: warmups[i],
        ...(requests !== undefined ? { requests: requests[i] } : {}),
      };
      firstWorker += concurrency;
      return share;
    });
  }
  const n = Math.min(processes, load.maxConcurrency ?? Infinity, load.requests ?? Infinity);
  const caps = load.maxConcurrency !== undefined ? splitCount(load.maxConcurrency, n) : undefined;
  const warmups = splitCount(load.warmupRequests, n);
  const requests = load.requests !== undefined ? splitCount(load.requests, n) : undefined;
  const levelGapMs = 1000 / (load.ratePerS * (load.speedup ?? 1));
  return Array.from({ length: n }, (_, i) => ({
    kind: 'open',
    ratePerS: load.ratePerS / n,
    arrival: load.arrival,
    ...(load.burstiness !== undefined ? { burstiness: load.burstiness } : {}),
    seed: processSeed(load.seed ?? 1, i),
    ...(caps !== undefined ? { maxConcurrency: caps[i] } : {}),
    warmupRequests: warmups[i],
    ...(requests !== undefined ? { requests: requests[i] } : {}),
    phaseMs: load.arrival === 'constant' ? i * levelGapMs : 0,
  }));
}
