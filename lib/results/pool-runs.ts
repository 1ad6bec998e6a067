import { worstClientVerdict } from './client-verdict';
import { worstTwinVerdict, type TwinLagMeasures } from './twin-verdict';
import type { ClientVerdict, LevelResult, OpenLoopLoad, RequestRecord } from './records';
import type { LevelAccumulator } from './level-accumulator';
import { levelFromAccumulators, summarizeLevel, type SteadyTokens, type SummarizeLevelOptions } from './summarize-level';

/**
 * What one run of a level measured beside its records: a repeat of the CLI's level, or one Lambda
 * worker's share of one repeat of a pipeline level.
 */
export interface LevelRunMeasures {
  /** Which measurement of the level (0-based); runs with the same repeat ran side by side. */
  readonly repeat: number;
  /** The run's client verdict (its own send lag, event-loop delay and CPU). */
  readonly client?: ClientVerdict;
  /** Open loop: the run's highest number of requests in flight. */
  readonly peakInFlight?: number;
  /** Who measured it (e.g. `process 1`): when runs are named, the client verdict's reasons say which run crossed which threshold. */
  readonly name?: string;
  /** The local twin's lag over the run's window (read from its GET /info); absent for any other endpoint. */
  readonly twin?: TwinLagMeasures;
}

export interface PoolRunsOptions extends Omit<SummarizeLevelOptions, 'openLoop' | 'client'> {
  /** Open loop: how the load was generated (its peak in flight comes from the runs). */
  readonly openLoop?: Omit<OpenLoopLoad, 'waitedForCap' | 'peakInFlight'>;
}

/**
 * Highest requests in flight of a level from its runs: runs of one repeat ran side by side, so their
 * peaks add up (an upper bound: each run peaks at its own moment, and never above its share of a
 * cap); repeats ran one after the other, so the level's peak is the highest repeat's.
 */
export function pooledPeakInFlight(runs: readonly LevelRunMeasures[]): number | undefined {
  const byRepeat = new Map<number, number>();
  for (const run of runs) {
    if (run.peakInFlight === undefined) continue;
    byRepeat.set(run.repeat, (byRepeat.get(run.repeat) ?? 0) + run.peakInFlight);
  }
  return byRepeat.size > 0 ? Math.max(...byRepeat.values()) : undefined;
}

/**
 * The level from every run's records, used by the CLI sweep (its repeats) and the pipeline's merge
 * (its workers × repeats) alike: summarizeLevel over the union of the records (a repeated level gets
 * `repeats`, the mean and 95 % interval over its repeats); an open loop keeps its offered rate and load,
 * with the pooled peak in flight; the client verdict is the worst run's, measure by measure, and the
 * twin's the worst run's lag judged against the pooled level's median ITL.
 */
export function poolLevelRuns(records: readonly RequestRecord[], runs: readonly LevelRunMeasures[], opts: PoolRunsOptions): LevelResult {
  return withWorstVerdicts(summarizeLevel(records, pooledOptions(runs, opts)), runs);
}

/**
 * The same level from accumulators instead of records, for a sweep that streams its records to disk
 * (the CLI sweep): one LevelAccumulator per repeat, each holding every run of that repeat, and the
 * steady tokens of a second pass over the records files when needsSteadyPass(repeats, pooledOptions).
 * Equal to poolLevelRuns over the same records (summarizeLevel and levelFromAccumulators are one path).
 */
export function poolLevelAccumulators(accumulators: readonly LevelAccumulator[], runs: readonly LevelRunMeasures[], opts: PoolRunsOptions, steady?: SteadyTokens): LevelResult {
  return withWorstVerdicts(levelFromAccumulators(accumulators, pooledOptions(runs, opts), steady), runs);
}

/** The summary options of a level pooled from `runs`: an open loop gets the pooled peak in flight. */
export function pooledOptions(runs: readonly LevelRunMeasures[], opts: PoolRunsOptions): SummarizeLevelOptions {
  const { openLoop, ...rest } = opts;
  const peak = pooledPeakInFlight(runs);
  return { ...rest, ...(openLoop !== undefined ? { openLoop: { ...openLoop, ...(peak !== undefined ? { peakInFlight: peak } : {}) } } : {}) };
}

function withWorstVerdicts(level: LevelResult, runs: readonly LevelRunMeasures[]): LevelResult {
  const named = runs.some((r) => r.name !== undefined);
  const client = worstClientVerdict(
    runs.map((r) => r.client),
    named ? runs.map((r, i) => r.name ?? `run ${i}`) : undefined,
  );
  const twin = worstTwinVerdict(
    runs.map((r) => r.twin),
    level.itlMs?.p50,
  );
  return { ...level, ...(client !== undefined ? { client } : {}), ...(twin !== undefined ? { twin } : {}) };
}
