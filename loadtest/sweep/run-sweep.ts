import { UserInputError } from '../../lib/errors';
import { summarizeSweep } from '../../lib/results';
import { poolLevelRuns } from '../../lib/results/pool-runs';
import type { PayloadSource } from '../payload';
import { openRunFolder, type OpenRunFolder } from '../pipeline/run-folder';
import type { DeploymentDescription, LevelResult, RequestRecord, StopReason, SweepResult } from '../../lib/results/records';
import { rateLevelKey, rateOfLevelKey } from '../../lib/results/level-key';
import type { Slo } from '../../lib/results/slo';
import type { OpenLoopPlan } from './open-loop-plan';
import { runLevel } from '../runner/run-level';
import { runOpenLoop } from '../runner/run-open-loop';
import type { Target } from '../targets/types';
import { nextStep, type LevelPlan, type NextStep } from './next-step';
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
  /** Highest level an adaptive sweep may reach. @default 256 */
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
  readonly onRecord?: (record: RequestRecord) => void;
  /** Adds to each measured level before it is stored (the endpoint's CloudWatch telemetry of its window). */
  readonly enrichLevel?: (level: LevelResult, records: readonly RequestRecord[]) => Promise<LevelResult>;
  /**
   * Open loop: each level is an offered rate (requests/s, endpoint time; levels keyed by
   * rateLevelKey), sent with seeded arrivals whatever the endpoint does; `levels` is then ignored.
   */
  readonly openLoop?: OpenLoopPlan;
  /** SLOs each request is judged on: levels carry `goodput`. */
  readonly slo?: Slo;
}

function validateRepeat(repeat: number | undefined): void {
  if (repeat !== undefined && (!Number.isInteger(repeat) || repeat < 1)) throw new UserInputError('repeat', `${repeat} must be an integer ≥ 1`);
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
 * claimed first (lock and run identity, see openRunFolder); each finished level's records go to
 * `records/c-N-w0.jsonl[.gz]`, then the level to `levels/c-N.json`, and `sweep.json` is rewritten
 * after every level, each file replaced atomically, so a crash loses nothing already measured;
 * re-running the same sweep into the folder skips measured levels. The report files are written
 * at the end, still under the lock.
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

  async function measure(concurrency: number): Promise<LevelResult> {
    opts.onLevelStart?.(concurrency);
    // Records are kept in memory and written whole once the level ends: a level cut short leaves
    // no records file under the level's name (a crash: none; an interruption or error: an .interrupted- one).
    const records: RequestRecord[] = [];
    let complete = false;
    const common = {
      target: opts.target,
      payload: opts.payload,
      durationS: opts.durationS !== undefined ? opts.durationS / (opts.speedup ?? 1) : undefined,
      requests: opts.requests,
      speedup: opts.speedup,
      signal: opts.signal,
      slo: opts.slo,
      // The records are kept here (to be written whole); the runner summarizes in constant memory.
      keepRecords: false,
      onRecord: (record: RequestRecord) => {
        records.push(record);
        opts.onRecord?.(record);
      },
    };
    const warmup = typeof opts.warmupRequests === 'function' ? opts.warmupRequests(concurrency) : opts.warmupRequests;
    try {
      const open = opts.openLoop;
      const runs: LevelResult[] = [];
      const repeats = opts.repeat ?? 1;
      for (let repeat = 0; repeat < repeats && opts.signal?.aborted !== true; repeat++) {
        const { level: run } =
          open !== undefined
            ? await runOpenLoop({
                ...common,
                levelKey: concurrency,
                ratePerS: rateOfLevelKey(concurrency),
                arrival: open.arrival,
                burstiness: open.burstiness,
                maxConcurrency: open.maxConcurrency,
                seed: open.seed,
                warmupRequests: warmup,
                repeat,
              })
            : await runLevel({ ...common, concurrency, warmupRequests: warmup, repeat, minCompletionsPerSlot: opts.minCompletionsPerSlot });
        runs.push(run);
      }
      complete = opts.signal?.aborted !== true;
      // One function pools a level's runs here and in the pipeline's merge (offered rate and load kept, worst client).
      const load = runs[runs.length - 1]?.openLoop;
      const level = poolLevelRuns(
        records,
        runs.map((run, repeat) => ({ repeat, client: run.client, peakInFlight: run.openLoop?.peakInFlight })),
        {
          concurrency,
          speedup: opts.speedup,
          slo: opts.slo,
          ...(open !== undefined ? { offeredRatePerS: rateOfLevelKey(concurrency) } : {}),
          ...(load !== undefined
            ? { openLoop: { arrival: load.arrival, ...(load.burstiness !== undefined ? { burstiness: load.burstiness } : {}), ...(load.maxConcurrency !== undefined ? { maxConcurrency: load.maxConcurrency } : {}) } }
            : {}),
        },
      );
      return complete && opts.enrichLevel !== undefined ? await opts.enrichLevel(level, records) : level;
    } finally {
      if (complete) await store.putRecords(concurrency, 0, records, gzip);
      else if (records.length > 0) await store.putInterruptedRecords(concurrency, 0, records, gzip, Date.now());
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
  }
  const sweep = summarize({ finishedAt: new Date().toISOString(), stopReason });
  await store.putReport([sweep], opts.latencyBoundMsPerToken !== undefined ? { latencyBoundMsPerToken: opts.latencyBoundMsPerToken } : {});
  return sweep;
}

type PlanOptions = Pick<RunSweepOptions, 'levels' | 'maxConcurrency' | 'openLoop' | 'latencyBoundMsPerToken'>;

/**
 * The level plan of a CLI sweep: its list as given, the adaptive search up to `maxConcurrency`
 * (default 256), or the open-loop rate search up to `openLoop.maxRatePerS`.
 */
export function levelPlanOf(opts: PlanOptions): LevelPlan {
  if (opts.openLoop?.rates === 'auto') return { mode: 'rate-auto', maxRatePerS: opts.openLoop.maxRatePerS ?? 0 };
  if (opts.levels !== 'auto') return { mode: 'list', levels: opts.levels };
  return { mode: 'auto', maxConcurrency: opts.maxConcurrency ?? 256, ...(opts.latencyBoundMsPerToken !== undefined ? { latencyBoundMsPerToken: opts.latencyBoundMsPerToken } : {}) };
}

/** The CLI sweep's next move: the one sweep decision applied to its plan and stop rules. */
export function nextSweepStep(opts: PlanOptions & Pick<RunSweepOptions, 'stopRules'>, measured: readonly LevelResult[]): NextStep {
  return nextStep(levelPlanOf(opts), measured, opts.stopRules);
}
