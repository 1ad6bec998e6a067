import { setMaxListeners } from 'node:events';
import { UserInputError } from '../../lib/errors';
import { LevelAccumulator } from '../../lib/results/level-accumulator';
import { summarizeLevel } from '../../lib/results/summarize-level';
import { MAX_WINDOW_EXTENSION, windowOver, type LevelWindowRule } from '../../lib/results/level-window';
import type { Slo } from '../../lib/results/slo';
import type { PayloadSource } from '../payload';
import { startClientMonitor } from './client-monitor';
import type { LevelResult, RequestRecord } from '../../lib/results/records';
import { faultFromException } from '../targets/error-kinds';
import { toRecord } from '../targets/record';
import type { GenerationRequest, Target } from '../targets/types';

export interface RunLevelOptions {
  readonly target: Target;
  readonly payload: PayloadSource;
  /** Workers, each with one request in flight at a time (closed loop). */
  readonly concurrency: number;
  /**
   * The level's concurrency stamped on the records, when this run is one process's share of it.
   * @default concurrency
   */
  readonly levelKey?: number;
  /** Index of this run's first worker (a process's share of a level numbers its workers after the previous processes'). @default 0 */
  readonly firstWorker?: number;
  /** Requests sent first and marked `warmup` (excluded from statistics). @default 0 */
  readonly warmupRequests?: number;
  /** Measured window, wall s: workers stop sending new requests this long after the first measured send. */
  readonly durationS?: number;
  /** Measured window by count: exactly this many measured requests are sent. */
  readonly requests?: number;
  /** Called with every record as it completes (e.g. a JSONL writer), warm-up included. */
  readonly onRecord?: (record: RequestRecord) => void;
  /** Aborts the level: no new sends, in-flight requests are cancelled. */
  readonly signal?: AbortSignal;
  /** Time compression of a local endpoint, passed to summarizeLevel. @default 1 */
  readonly speedup?: number;
  /** Epoch ms to start at (workers of several processes start together). */
  readonly startAtEpochMs?: number;
  /** Which measurement of a repeated level this run is (0-based), stamped on its records. */
  readonly repeat?: number;
  /**
   * A `durationS` window is extended until this many measured requests per worker have completed,
   * so a level with long requests still sees enough completions; at most to MAX_WINDOW_EXTENSION × durationS
   * (lib/results/level-window.ts: the one rule). @default 0
   */
  readonly minCompletionsPerSlot?: number;
  /** Hard end of an extended window, s after it began (a Lambda worker's remaining time). @default MAX_WINDOW_EXTENSION × durationS */
  readonly maxWindowS?: number;
  /** SLOs each request is judged on (the level then carries `goodput`). */
  readonly slo?: Slo;
  /**
   * Keep every record in memory and return it in `records`. Off, the level is summarized in
   * constant memory (records only reach `onRecord`, e.g. a file). @default true
   */
  readonly keepRecords?: boolean;
}

export { MAX_WINDOW_EXTENSION };

export interface LevelRun {
  /** Every record, warm-up included (empty when `keepRecords` is false). */
  readonly records: RequestRecord[];
  readonly level: LevelResult;
  /** The level's statistics so far, mergeable with other processes' (exact merge of workers). */
  readonly accumulator: LevelAccumulator;
}

function validate(opts: RunLevelOptions): void {
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
    throw new UserInputError('concurrency', `${opts.concurrency} must be an integer ≥ 1`);
  }
  if (opts.durationS === undefined && opts.requests === undefined) {
    throw new UserInputError('durationS', 'give a measured window: `durationS` or `requests`');
  }
  if (opts.durationS !== undefined && !(opts.durationS > 0)) throw new UserInputError('durationS', `${opts.durationS} must be > 0 seconds`);
  if (opts.requests !== undefined && (!Number.isInteger(opts.requests) || opts.requests < 1)) {
    throw new UserInputError('requests', `${opts.requests} must be an integer ≥ 1`);
  }
}

/**
 * One concurrency level as a closed loop: `concurrency` workers, each sending its next request
 * as soon as its last one returns. Warm-up requests come first; the measured window then runs by
 * duration or by count. When the window ends no new request is sent and the requests in flight
 * complete (bounded by the target's deadline) and are counted: every sent request yields one record.
 */
export async function runLevel(opts: RunLevelOptions): Promise<LevelRun> {
  validate(opts);
  const { target, payload, concurrency, onRecord } = opts;
  // One signal per level when the caller gives none: targets keep a listener on it (one per target),
  // so a process-wide signal would hold every target ever run alive. A target may listen per request:
  // lift Node's 10-listener warning limit.
  const signal = opts.signal ?? new AbortController().signal;
  setMaxListeners(0, signal);
  const warmupRequests = opts.warmupRequests ?? 0;
  const measuredLimit = opts.requests ?? Infinity;
  const windowMs = opts.durationS !== undefined ? opts.durationS * 1000 : Infinity;
  const records: RequestRecord[] = [];
  const keep = opts.keepRecords !== false;
  const accumulator = new LevelAccumulator(opts.speedup ?? 1, opts.slo);
  let issued = 0;
  let measuredIssued = 0;
  let windowStartMs = Infinity;
  let measuredDone = 0;
  const rule: LevelWindowRule = {
    durationMs: windowMs,
    slots: concurrency,
    minCompletionsPerSlot: opts.minCompletionsPerSlot,
    ...(opts.maxWindowS !== undefined ? { maxWindowMs: opts.maxWindowS * 1000 } : {}),
  };
  const levelKey = opts.levelKey ?? concurrency;
  const firstWorker = opts.firstWorker ?? 0;

  if (opts.startAtEpochMs !== undefined) {
    const waitMs = opts.startAtEpochMs - Date.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }

  const monitor = startClientMonitor();
  async function worker(index: number): Promise<void> {
    let seq = 0;
    let scheduledMs = performance.now();
    while (!signal.aborted) {
      const warmup = issued < warmupRequests;
      if (!warmup) {
        if (measuredIssued >= measuredLimit) return;
        if (measuredIssued === 0) windowStartMs = performance.now();
        else if (windowOver(rule, performance.now() - windowStartMs, measuredDone)) return;
        measuredIssued += 1;
      }
      issued += 1;
      const next = payload.next();
      const request: GenerationRequest = {
        prompt: next.prompt,
        messages: next.messages,
        inputTokens: next.inputTokens,
        maxNewTokens: next.maxNewTokens,
        concurrency: levelKey,
        worker: firstWorker + index,
        seq,
        scheduledMs,
        warmup,
        ...(opts.repeat !== undefined && opts.repeat > 0 ? { repeat: opts.repeat } : {}),
      };
      seq += 1;
      let record: RequestRecord;
      try {
        record = await target.generate(request, signal);
      } catch (error) {
        // A target must not throw; if one does, the request is still accounted for.
        record = toRecord(request, { sentMs: request.scheduledMs, endMs: performance.now(), fault: faultFromException(error, false, 0) });
      }
      if (!warmup) measuredDone += 1;
      if (keep) records.push(record);
      accumulator.add(record);
      onRecord?.(record);
      scheduledMs = performance.now();
    }
  }

  const workers: Promise<void>[] = [];
  for (let i = 0; i < concurrency; i++) workers.push(worker(i));
  await Promise.all(workers);
  const client = monitor.stop();
  // Records kept: the level also gets its steady-window figures (they need every record, warm-up included).
  const level = keep
    ? summarizeLevel(records, { concurrency: levelKey, speedup: opts.speedup, slo: opts.slo, client })
    : accumulator.result({ concurrency: levelKey, speedup: opts.speedup, client });
  return { records, accumulator, level };
}
