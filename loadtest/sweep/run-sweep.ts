import { UserInputError } from '../../lib/errors';
import { summarizeSweep } from '../../lib/results';
import { LevelAccumulator } from '../../lib/results/level-accumulator';
import { poolLevelAccumulators, pooledOptions, type LevelRunMeasures, type PoolRunsOptions } from '../../lib/results/pool-runs';
import { needsSteadyPass, SteadyTokens } from '../../lib/results/summarize-level';
import type { PayloadSource } from '../payload';
import { openRunFolder, type OpenRunFolder } from '../pipeline/run-folder';
import type { StreamedRecordsFile } from '../pipeline/run-files';
import type { DeploymentDescription, LevelResult, RequestRecord, StopReason, SweepResult } from '../../lib/results/records';
import { rateLevelKey, rateOfLevelKey } from '../../lib/results/level-key';
import type { Slo } from '../../lib/results/slo';
import { forEachJsonlRecord, JsonlWriter } from '../records/jsonl';
import type { OpenLoopPlan } from './open-loop-plan';
import { ProcessPool } from '../runner/process-pool';
import type { ProcessWorkload } from '../runner/process-protocol';
import { splitLoad, validateProcesses } from '../runner/process-shares';
import { runLevel } from '../runner/run-level';
import { runOpenLoop } from '../runner/run-open-loop';
import type { Target } from '../targets/types';
import type { TwinLagProbe } from '../local/twin-lag';
import { DEFAULT_AUTO_MAX_CONCURRENCY, nextStep, type LevelPlan, type NextStep } from './next-step';
import { sweepIdentity } from './sweep-identity';
import { byConcurrency, type StopRuleConfig } from './stop-rules';

export interface RunSweepOptions {
  readonly target: Target;
  readonly payload: PayloadSource;
  /** Concurrency levels in order, or 'auto' (double from 1 until a stop rule fires, then bisect). */
  readonly levels: readonly number[] | 'auto';
  readonly outDir: string;
  /** Measured window per level in endpoint time: a time-compressed local endpoint runs it `speedup` times faster. */
  readonly durationS?: number;
  readonly requests?: number;
  /** Warm-up requests per level, or a function of the level's concurrency. @default 0 */
  readonly warmupRequests?: number | ((concurrency: number) => number);
  readonly stopRules: StopRuleConfig;
  readonly label: string;
  readonly deployment?: DeploymentDescription;
  /** Highest level an adaptive sweep may reach. @default DEFAULT_AUTO_MAX_CONCURRENCY (256) */
  readonly maxConcurrency?: number;
  /** Time compression of a local endpoint. @default 1 */
  readonly speedup?: number;
  /** Write records as .jsonl.gz. @default false */
  readonly gzipRecords?: boolean;
  /** Knee latency bound passed to summarizeSweep. @default 100 */
  readonly latencyBoundMsPerToken?: number;
  /** Move a run already in `outDir` aside (to `{outDir}.replaced-{time}`) instead of resuming it. */
  readonly restart?: boolean;
  /** Measure each level this many times; the level carries the mean and 95 % interval over them. @default 1 */
  readonly repeat?: number;
  /** Extend a `durationS` window until this many requests per worker completed (runLevel). @default 0 */
  readonly minCompletionsPerSlot?: number;
  /** Once the folder is claimed, before anything is measured: whether it continues a run, a stale lock taken over. */
  readonly onOpen?: (run: Pick<OpenRunFolder, 'resumed' | 'tookOver' | 'movedAsideTo' | 'manifest'>) => void;
  readonly signal?: AbortSignal;
  readonly onLevelStart?: (concurrency: number) => void;
  /** After each level; `resumed` when it was read back from an earlier run. */
  readonly onLevel?: (level: LevelResult, resumed: boolean) => void;
  /** Every record as it completes (in-process levels; with `processes` the records stay in the client processes, see `onProgress`). */
  readonly onRecord?: (record: RequestRecord) => void;
  /** With `processes`: measured requests completed so far in the current measurement of the level, over every process, about twice a second. */
  readonly onProgress?: (measured: number) => void;
  /**
   * Adds to each measured level before it is stored (the endpoint's CloudWatch telemetry of its
   * window: earliest measured send to latest measured end, epoch ms of the client's clock).
   */
  readonly enrichLevel?: (level: LevelResult, window: { readonly startMs: number; readonly endMs: number }) => Promise<LevelResult>;
  /**
   * Open loop: each level is an offered rate (requests/s, endpoint time; levels keyed by
   * rateLevelKey), sent with seeded arrivals whatever the endpoint does; `levels` is then ignored.
   */
  readonly openLoop?: OpenLoopPlan;
  /** SLOs each request is judged on: levels carry `goodput`. */
  readonly slo?: Slo;
  /**
   * Spread each level's load over `count` client processes (forked once per sweep; each makes its own
   * target and payload from `workload`): closed-loop workers or the offered rate split evenly (see
   * splitLoad), each process streaming its records to `records/c-N-w{i}.jsonl`, the level merged
   * exactly from their accumulators and files; the client verdict is the worst process's. A count
   * of 1 runs in this process. @default in this process
   */
  readonly processes?: { readonly count: number; readonly workload: ProcessWorkload };
  /**
   * The target is a local twin: its own lag is read around each measurement of a level (warm-up
   * included) and the level carries `twin`, its verdict. Reported only: stop rules do not look at it.
   */
  readonly twinLag?: TwinLagProbe;
}

function validateRepeat(repeat: number | undefined): void {
  if (repeat !== undefined && (!Number.isInteger(repeat) || repeat < 1)) throw new UserInputError('repeat', `${repeat} must be an integer ≥ 1`);
}

/** One measurement (repeat) of a level: its accumulator (every process's requests) and what each process measured beside its records. */
interface Measurement {
  readonly accumulator: LevelAccumulator;
  readonly runs: readonly LevelRunMeasures[];
}

function validateLevels(levels: readonly number[] | 'auto'): void {
  if (levels === 'auto') return;
  if (levels.length === 0) throw new UserInputError('levels', "give at least one level, e.g. [1, 2, 4], or 'auto'");
  for (const c of levels) {
    if (!Number.isInteger(c) || c < 1) throw new UserInputError('levels', `level ${c} must be an integer ≥ 1`);
  }
}

/**
 * A sweep over concurrency levels into the run folder `outDir` (pipeline/layout.ts). The folder is
 * claimed first (lock and run identity, see openRunFolder); each level's records are streamed as
 * they complete to `records/c-N-w{process}.jsonl[.gz]` (under a temporary name until the level is
 * measured), then the level goes to `levels/c-N.json`, and `sweep.json` is rewritten after every
 * level, each file replaced atomically, so a crash loses nothing already measured; re-running the
 * same sweep into the folder skips measured levels (the number of client processes is not part of
 * the run's identity: a run may resume with another). The report files are written at the end,
 * still under the lock. Memory stays flat in the number of requests.
 */
export async function runSweep(given: RunSweepOptions): Promise<SweepResult> {
  // An open-loop sweep is a list of rate levels under their keys; the one sweep decision plans it like any list.
  // The rate search ('auto') is planned by levelPlanOf from `openLoop`; `levels` then only says 'auto'.
  const rates = given.openLoop?.rates;
  const opts: RunSweepOptions = rates !== undefined ? { ...given, levels: rates === 'auto' ? 'auto' : rates.map(rateLevelKey) } : given;
  if (rates === 'auto' && !(given.openLoop?.maxRatePerS !== undefined && given.openLoop.maxRatePerS > 0)) {
    throw new UserInputError('maxRatePerS', 'the rate search (rates: auto) needs the highest rate to try, requests/s > 0');
  }
  validateLevels(opts.levels);
  validateRepeat(opts.repeat);
  if (opts.processes !== undefined) validateProcesses(opts.processes.count);
  const targetDescription = { ...opts.target.description, ...(opts.speedup !== undefined && opts.speedup !== 1 ? { speedup: opts.speedup } : {}) };
  const run = await openRunFolder({
    outDir: opts.outDir,
    restart: opts.restart,
    identity: sweepIdentity({ ...opts, target: targetDescription, payload: opts.payload.describe(), openLoop: opts.openLoop, slo: opts.slo }),
    target: targetDescription,
    payload: opts.payload.describe(),
  });
  try {
    opts.onOpen?.(run);
    return await sweepInto(run, opts, targetDescription);
  } finally {
    await run.close();
  }
}

async function sweepInto(run: OpenRunFolder, opts: RunSweepOptions, targetDescription: SweepResult['target']): Promise<SweepResult> {
  const store = run.files;
  const gzip = opts.gzipRecords === true;
  const startedAt = run.manifest.startedAt;
  const measured = new Map<number, LevelResult>();
  for (const level of await store.measuredLevels()) {
    measured.set(level.concurrency, level);
    opts.onLevel?.(level, true);
  }

  const summarize = (extra: { finishedAt?: string; stopReason?: StopReason; failure?: { step: string; message: string } }): SweepResult =>
    summarizeSweep({
      label: opts.label,
      target: targetDescription,
      payload: opts.payload.describe(),
      deployment: opts.deployment,
      levels: byConcurrency([...measured.values()]),
      startedAt,
      latencyBoundMsPerToken: opts.latencyBoundMsPerToken,
      maxErrorRate: opts.stopRules.maxErrorRate,
      invocationTimeoutMs: opts.stopRules.invocationTimeoutMs,
      ...(opts.stopRules.minSloAttainment !== undefined ? { minSloAttainment: opts.stopRules.minSloAttainment } : {}),
      ...extra,
    });

  // Client processes (--processes N > 1): forked at the first level measured, closed with the sweep.
  let pool: ProcessPool | undefined;
  const processes = opts.processes !== undefined && opts.processes.count > 1 ? opts.processes : undefined;
  const speedup = opts.speedup ?? 1;
  const durationS = opts.durationS !== undefined ? opts.durationS / speedup : undefined;

  /** One measurement of a level in this process, its records streamed to `writer`. */
  async function measureHere(concurrency: number, warmup: number | undefined, repeat: number, writer: JsonlWriter): Promise<Measurement> {
    const common = {
      target: opts.target,
      payload: opts.payload,
      durationS,
      requests: opts.requests,
      speedup: opts.speedup,
      signal: opts.signal,
      slo: opts.slo,
      warmupRequests: warmup,
      repeat,
      // Constant memory: records go to the file as they complete; the runner only accumulates.
      keepRecords: false,
      onRecord: (record: RequestRecord) => {
        writer.write(record);
        opts.onRecord?.(record);
      },
    };
    const open = opts.openLoop;
    const { level, accumulator } =
      open !== undefined
        ? await runOpenLoop({
            ...common,
            levelKey: concurrency,
            ratePerS: rateOfLevelKey(concurrency),
            arrival: open.arrival,
            burstiness: open.burstiness,
            maxConcurrency: open.maxConcurrency,
            seed: open.seed,
          })
        : await runLevel({ ...common, concurrency, minCompletionsPerSlot: opts.minCompletionsPerSlot });
    return { accumulator, runs: [{ repeat, client: level.client, peakInFlight: level.openLoop?.peakInFlight }] };
  }

  /** One measurement of a level spread over the client processes, merged exactly. */
  async function measureInProcesses(concurrency: number, warmup: number | undefined, repeat: number, fileOf: (i: number) => StreamedRecordsFile): Promise<Measurement> {
    if (processes === undefined) throw new Error('no client processes');
    pool ??= await ProcessPool.start(processes.count, processes.workload);
    const open = opts.openLoop;
    const shares = splitLoad(
      open !== undefined
        ? {
            kind: 'open',
            ratePerS: rateOfLevelKey(concurrency),
            arrival: open.arrival,
            ...(open.burstiness !== undefined ? { burstiness: open.burstiness } : {}),
            ...(open.seed !== undefined ? { seed: open.seed } : {}),
            ...(open.maxConcurrency !== undefined ? { maxConcurrency: open.maxConcurrency } : {}),
            warmupRequests: warmup ?? 0,
            ...(opts.requests !== undefined ? { requests: opts.requests } : {}),
            speedup,
          }
        : { kind: 'closed', concurrency, warmupRequests: warmup ?? 0, ...(opts.requests !== undefined ? { requests: opts.requests } : {}) },
      pool.size,
    );
    const runs = await pool.run({
      levelKey: concurrency,
      shares,
      ...(durationS !== undefined ? { durationS } : {}),
      ...(opts.speedup !== undefined ? { speedup: opts.speedup } : {}),
      ...(opts.slo !== undefined ? { slo: opts.slo } : {}),
      repeat,
      ...(opts.minCompletionsPerSlot !== undefined ? { minCompletionsPerSlot: opts.minCompletionsPerSlot } : {}),
      recordsPath: (i) => fileOf(i).path,
      gzip,
      ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
      ...(opts.onProgress !== undefined ? { onProgress: opts.onProgress } : {}),
    });
    const accumulator = new LevelAccumulator(speedup, opts.slo);
    for (const r of runs) accumulator.merge(r.accumulator);
    // Each process judged itself (its own send lag, event-loop delay, CPU); pooling takes the worst, naming it.
    return {
      accumulator,
      runs: runs.map((r, i) => ({
        repeat,
        name: repeat > 0 ? `process ${i} (repeat ${repeat})` : `process ${i}`,
        ...(r.client !== undefined ? { client: r.client } : {}),
        ...(r.peakInFlight !== undefined ? { peakInFlight: r.peakInFlight } : {}),
      })),
    };
  }

  /**
   * Measures a level (each repeat) in constant memory: every record is streamed to the level's records
   * file(s) as it completes, under a temporary name until the level is measured (a crash leaves no
   * records file under the level's name; an interruption or error sets it aside as `.interrupted-`);
   * the level is summarized from the measurements' accumulators, and a closed loop's steady window by
   * a second pass over the files.
   */
  async function measure(concurrency: number): Promise<LevelResult> {
    opts.onLevelStart?.(concurrency);
    const files: StreamedRecordsFile[] = [];
    const fileOf = (i: number): StreamedRecordsFile => (files[i] ??= store.streamedRecords(concurrency, i, gzip));
    let writer: JsonlWriter | undefined;
    let complete = false;
    const warmup = typeof opts.warmupRequests === 'function' ? opts.warmupRequests(concurrency) : opts.warmupRequests;
    try {
      const measurements: Measurement[] = [];
      const repeats = opts.repeat ?? 1;
      for (let repeat = 0; repeat < repeats && opts.signal?.aborted !== true; repeat++) {
        const endLag = await opts.twinLag?.begin();
        const m =
          processes !== undefined
            ? await measureInProcesses(concurrency, warmup, repeat, fileOf)
            : await measureHere(concurrency, warmup, repeat, (writer ??= new JsonlWriter(fileOf(0).path, { gzip })));
        // The twin's lag is the endpoint's, one reading per measurement: it goes with the measurement's first run.
        const twin = await endLag?.();
        measurements.push(twin === undefined ? m : { ...m, runs: m.runs.map((run, i) => (i === 0 ? { ...run, twin } : run)) });
      }
      writer?.close();
      await pool?.endLevel();
      complete = opts.signal?.aborted !== true;
      const open = opts.openLoop;
      // One pooling here and in the pipeline's merge (offered rate and load kept, peaks of runs side by side added, worst client).
      const poolOpts: PoolRunsOptions = {
        concurrency,
        speedup: opts.speedup,
        slo: opts.slo,
        ...(open !== undefined
          ? {
              offeredRatePerS: rateOfLevelKey(concurrency),
              openLoop: {
                arrival: open.arrival,
                ...(open.arrival === 'gamma' ? { burstiness: open.burstiness ?? 1 } : {}),
                ...(open.maxConcurrency !== undefined ? { maxConcurrency: open.maxConcurrency } : {}),
              },
            }
          : {}),
      };
      const runs = measurements.flatMap((m) => m.runs);
      const accumulators = measurements.map((m) => m.accumulator);
      const sends = needsSteadyPass(accumulators.length, pooledOptions(runs, poolOpts)) ? accumulators[0]?.sends() : undefined;
      let steady: SteadyTokens | undefined;
      if (complete && sends !== undefined) {
        const pass = new SteadyTokens(sends);
        for (const file of files) await forEachJsonlRecord(file.path, (r) => pass.add(r));
        steady = pass;
      }
      const level = poolLevelAccumulators(accumulators, runs, poolOpts, steady);
      const window = mergedWindow(accumulators);
      return complete && opts.enrichLevel !== undefined && window !== undefined ? await opts.enrichLevel(level, window) : level;
    } finally {
      writer?.close();
      if (!complete) await pool?.endLevel().catch(() => undefined);
      for (const file of files) {
        if (complete) await file.keep();
        else await file.setAside(Date.now());
      }
    }
  }

  let stopReason: StopReason;
  const aborted: StopReason = { rule: 'aborted', detail: 'interrupted before the sweep ended' };
  try {
    for (;;) {
      if (opts.signal?.aborted) {
        stopReason = aborted;
        break;
      }
      const next = nextSweepStep(opts, [...measured.values()]);
      if ('stop' in next) {
        stopReason = next.stop;
        break;
      }
      const level = await measure(next.concurrency);
      if (opts.signal?.aborted) {
        stopReason = aborted;
        break; // a level cut short is kept on disk as records but not as a measured level
      }
      measured.set(level.concurrency, level);
      await store.putLevel(level);
      await store.putSweep([summarize({})]);
      opts.onLevel?.(level, false);
    }
  } catch (error) {
    const failure = { step: 'measure', message: error instanceof Error ? error.message : String(error) };
    await store.putSweep([summarize({ finishedAt: new Date().toISOString(), stopReason: { rule: 'failed', detail: failure.message }, failure })]);
    throw error;
  } finally {
    await pool?.close();
  }
  const sweep = summarize({ finishedAt: new Date().toISOString(), stopReason });
  await store.putReport([sweep], opts.latencyBoundMsPerToken !== undefined ? { latencyBoundMsPerToken: opts.latencyBoundMsPerToken } : {});
  return sweep;
}

/** Earliest measured send to latest measured end over every measurement of a level, epoch ms. */
function mergedWindow(accumulators: readonly LevelAccumulator[]): { startMs: number; endMs: number } | undefined {
  const windows = accumulators.flatMap((acc) => acc.measuredWindow() ?? []);
  if (windows.length === 0) return undefined;
  return { startMs: Math.min(...windows.map((w) => w.startMs)), endMs: Math.max(...windows.map((w) => w.endMs)) };
}

type PlanOptions = Pick<RunSweepOptions, 'levels' | 'maxConcurrency' | 'openLoop' | 'latencyBoundMsPerToken'>;

/**
 * The level plan of a CLI sweep: its list as given, the adaptive search up to `maxConcurrency`
 * (DEFAULT_AUTO_MAX_CONCURRENCY unless given), or the open-loop rate search up to `openLoop.maxRatePerS`.
 */
export function levelPlanOf(opts: PlanOptions): LevelPlan {
  if (opts.openLoop?.rates === 'auto') return { mode: 'rate-auto', maxRatePerS: opts.openLoop.maxRatePerS ?? 0 };
  if (opts.levels !== 'auto') return { mode: 'list', levels: opts.levels };
  return { mode: 'auto', maxConcurrency: opts.maxConcurrency ?? DEFAULT_AUTO_MAX_CONCURRENCY, ...(opts.latencyBoundMsPerToken !== undefined ? { latencyBoundMsPerToken: opts.latencyBoundMsPerToken } : {}) };
}

/** The CLI sweep's next move: the one sweep decision applied to its plan and stop rules. */
export function nextSweepStep(opts: PlanOptions & Pick<RunSweepOptions, 'stopRules'>, measured: readonly LevelResult[]): NextStep {
  return nextStep(levelPlanOf(opts), measured, opts.stopRules);
}
