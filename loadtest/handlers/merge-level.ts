import type { LevelResult } from '../../lib/results/records';
import { mergeLevel } from '../pipeline/merge-worker-records';
import type { ExecutionState } from '../../lib/benchmark/pipeline-state';
import { defaultCommonDeps, type CommonDeps } from './deps';

/** Short summary of a merged level (the full LevelResult is in the store). */
export interface MergedLevelSummary {
  readonly concurrency: number;
  readonly requests: number;
  readonly ok: number;
  readonly timeouts: number;
  readonly throughputTokensPerS: number;
  readonly msPerTokenP50: number;
}

function summaryOf(level: LevelResult): MergedLevelSummary {
  return {
    concurrency: level.concurrency,
    requests: level.requests,
    ok: level.ok,
    timeouts: level.timeouts,
    throughputTokensPerS: level.throughputTokensPerS,
    msPerTokenP50: level.latencyMsPerToken.p50,
  };
}

/** Merges the level just measured: every worker's raw records, summarized once. */
export function createMergeLevelHandler(deps: CommonDeps) {
  return async (state: ExecutionState): Promise<MergedLevelSummary> => {
    const sweep = state.sweep;
    if (sweep?.concurrency === undefined) throw new Error('merge-level: the state has no level to merge');
    const level = await mergeLevel(deps.store, {
      deploymentId: sweep.deploymentId,
      runId: sweep.runId,
      concurrency: sweep.concurrency,
      workers: sweep.workers.length,
      speedup: deps.speedup,
    });
    const summary = summaryOf(level);
    deps.logger.info('level merged', { ...summary });
    return summary;
  };
}

let cached: ReturnType<typeof createMergeLevelHandler> | undefined;
export const handler = (event: ExecutionState): Promise<MergedLevelSummary> =>
  (cached ??= createMergeLevelHandler(defaultCommonDeps('llm-bench-merge-level')))(event);
