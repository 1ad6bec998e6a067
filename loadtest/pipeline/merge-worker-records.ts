import { completionsPerSlot, meetsMinCompletions } from '../../lib/results/level-window';
import { poolLevelRuns, type PoolRunsOptions } from '../../lib/results/pool-runs';
import type { LevelResult, OpenLoopLoad, RequestRecord } from '../../lib/results/records';
import type { Slo } from '../../lib/results/slo';
import { pipelineRunKeys } from './layout';
import type { ResultStore } from './result-store';
import { RunFiles } from './run-files';
import type { WorkerRunFile } from './worker-run';

export interface MergeLevelInput {
  readonly deploymentId: string;
  readonly runId: string;
  readonly concurrency: number;
  /** Workers the level ran on: every one must have written its records (of every repeat). */
  readonly workers: number;
  /** Time compression of the endpoint (1 in AWS); durations are scaled back by it. */
  readonly speedup: number;
  /** Adds to the merged level before it is written (the endpoint's telemetry of its window). */
  readonly enrich?: (level: LevelResult, records: readonly RequestRecord[]) => Promise<LevelResult>;
  /** Open loop: the level's offered rate (sum of its workers') and load; its peak in flight comes from the workers. */
  readonly offeredRatePerS?: number;
  readonly openLoop?: Omit<OpenLoopLoad, 'waitedForCap' | 'peakInFlight'>;
  /** SLOs each request is judged on. */
  readonly slo?: Slo;
  /** The repeat just measured (0-based). @default 0 */
  readonly repeat?: number;
  /** Measurements of the level: it is written after the last. @default 1 */
  readonly repeats?: number;
  /** Closed loop: completions per stream each repeat's window had to reach (lib/results/level-window.ts). @default 0 */
  readonly minCompletionsPerSlot?: number;
}

/** A closed-loop measurement judged by the window rule: its completions per stream and whether they met the minimum. */
export interface CompletionsJudgement {
  readonly completionsPerSlot: number;
  readonly minCompletionsPerSlot: number;
  readonly met: boolean;
}

/**
 * What merging one repeat gave: once its last repeat is in, the level (written); before, the
 * repeat's own summary (not written: the level is pooled from every repeat's records).
 */
export interface MergedRepeat {
  readonly complete: boolean;
  readonly repeat: number;
  readonly level: LevelResult;
  readonly completions?: CompletionsJudgement;
}

type RecordFile = Awaited<ReturnType<RunFiles['levelRecordFiles']>>[number];

/** Throws naming the workers of `repeat` whose files are missing. */
function requireWorkers(input: MergeLevelInput, repeat: number, present: Iterable<number>, what: string): void {
  const have = new Set(present);
  const missing = Array.from({ length: input.workers }, (_, w) => w).filter((w) => !have.has(w));
  if (missing.length === 0) return;
  const which = (input.repeats ?? 1) > 1 ? `level c=${input.concurrency} repeat ${repeat}` : `level c=${input.concurrency}`;
  throw new Error(`${which}: no ${what} from worker(s) ${missing.join(', ')} of ${input.workers}`);
}

/** Judges a closed-loop measurement by the window rule (none for an open loop or without a minimum). */
function judge(input: MergeLevelInput, records: readonly RequestRecord[]): CompletionsJudgement | undefined {
  const min = input.minCompletionsPerSlot ?? 0;
  if (input.openLoop !== undefined || min <= 0) return undefined;
  const completed = records.filter((r) => r.warmup !== true).length;
  const rule = { slots: input.concurrency, minCompletionsPerSlot: min };
  return { completionsPerSlot: completionsPerSlot(completed, input.concurrency), minCompletionsPerSlot: min, met: meetsMinCompletions(completed, rule) };
}

/** The lowest of several judgements (a repeated level rests on its weakest repeat). */
function weakest(judgements: readonly (CompletionsJudgement | undefined)[]): CompletionsJudgement | undefined {
  return judgements.reduce<CompletionsJudgement | undefined>((low, j) => (j === undefined || (low !== undefined && low.completionsPerSlot <= j.completionsPerSlot) ? low : j), undefined);
}

/**
 * Merges one repeat of a level: checks every worker wrote its records of the repeat, and once the
 * last repeat is in, merges the level exactly: the union of every worker's raw records of every
 * repeat (in repeat, then worker order) summarized once (percentiles are never averaged across
 * workers; a repeated level gets its mean and 95 % interval over the repeats), pooled with what the
 * workers measured beside them (poolLevelRuns, as the CLI sweep pools its repeats: worst client,
 * summed peak in flight), and written to levels/c-{N}.json. Throws naming the workers whose files are missing.
 */
export async function mergeRepeat(store: ResultStore, input: MergeLevelInput): Promise<MergedRepeat> {
  const run = new RunFiles(store, pipelineRunKeys(input.deploymentId, input.runId));
  const repeat = input.repeat ?? 0;
  const repeats = input.repeats ?? 1;
  const files = (await run.levelRecordFiles(input.concurrency)).filter((f) => f.repeat < repeats);
  const ofRepeat = (r: number): RecordFile[] => files.filter((f) => f.repeat === r);
  requireWorkers(input, repeat, ofRepeat(repeat).map((f) => f.worker), 'records');
  const opts: PoolRunsOptions = {
    concurrency: input.concurrency,
    speedup: input.speedup,
    ...(input.offeredRatePerS !== undefined ? { offeredRatePerS: input.offeredRatePerS } : {}),
    ...(input.openLoop !== undefined ? { openLoop: input.openLoop } : {}),
    ...(input.slo !== undefined ? { slo: input.slo } : {}),
  };
  if (repeat + 1 < repeats) {
    const records = ofRepeat(repeat).flatMap((f) => f.records);
    const runs = (await run.workerRuns(input.concurrency)).filter((w) => w.repeat === repeat);
    const completions = judge(input, records);
    return { complete: false, repeat, level: poolLevelRuns(records, runs, opts), ...(completions ? { completions } : {}) };
  }
  for (let r = 0; r < repeats; r++) requireWorkers(input, r, ofRepeat(r).map((f) => f.worker), 'records');
  const workerRuns = (await run.workerRuns(input.concurrency)).filter((w) => w.repeat < repeats);
  // Workers write their measures beside their records; records from a worker that wrote none (an older one) pool without them.
  if (workerRuns.length > 0) for (let r = 0; r < repeats; r++) requireWorkers(input, r, workerRuns.filter((w: WorkerRunFile) => w.repeat === r).map((w) => w.worker), 'client measures (workers/)');
  const records = files.flatMap((f) => f.records);
  const summarized = poolLevelRuns(records, workerRuns, opts);
  const level = input.enrich ? await input.enrich(summarized, records) : summarized;
  await run.putLevel(level);
  const completions = weakest(Array.from({ length: repeats }, (_, r) => judge(input, ofRepeat(r).flatMap((f) => f.records))));
  return { complete: true, repeat, level, ...(completions ? { completions } : {}) };
}

/** Merges a level measured once (or its last repeat): the level written to levels/c-{N}.json. */
export async function mergeLevel(store: ResultStore, input: MergeLevelInput): Promise<LevelResult> {
  const merged = await mergeRepeat(store, input);
  if (!merged.complete) throw new Error(`level c=${input.concurrency}: repeat ${merged.repeat + 1} of ${input.repeats ?? 1} merged, the level is written after the last`);
  return merged.level;
}
