import { decideNext } from '../pipeline/decide-next';
import { loadRunLevels } from '../pipeline/run-manifest';
import type { ExecutionState, SweepState } from '../../lib/benchmark/pipeline-state';
import { defaultCommonDeps } from './deps';
import type { PlanLevelsDeps } from './plan-levels';
import type { MergedLevelSummary } from './merge-level';

/** The state decide-next reads: merge-level's summary of what it just merged is at `lastLevel` (absent after the warm-up). */
export type DecideNextEvent = ExecutionState & { readonly lastLevel?: Pick<MergedLevelSummary, 'concurrency' | 'repeat' | 'complete'> };

/**
 * Asks for the next repeat of a level merge-level did not complete, else applies the stop rules
 * (list) or the adaptive search (auto) to the levels merged so far.
 */
export function createDecideNextHandler(deps: PlanLevelsDeps) {
  return async (state: DecideNextEvent): Promise<SweepState> => {
    const { deployment } = state;
    const runId = state.sweep?.runId ?? state.runId;
    if (runId === undefined) throw new Error('decide-next: no runId in the state (plan-levels did not run)');
    const measured = await loadRunLevels(deps.store, deployment.id, runId);
    // Only the level this execution just merged: after the warm-up (or a resume) there is none.
    const last = state.lastLevel;
    const pendingRepeat = last !== undefined && last.complete === false && state.sweep?.concurrency === last.concurrency ? { concurrency: last.concurrency, repeat: last.repeat } : undefined;
    const sweep = decideNext({ deployment, runId, measured, nowEpochMs: deps.now().getTime(), startLeadMs: deps.startLeadMs, ...(pendingRepeat ? { pendingRepeat } : {}) });
    deps.logger.info('decided', { deploymentId: deployment.id, runId, next: sweep.concurrency, repeat: sweep.repeat ?? 0, done: sweep.done, stopReason: sweep.stopReason });
    return sweep;
  };
}

export function defaultDecideNextDeps(): PlanLevelsDeps {
  return { ...defaultCommonDeps('llm-bench-decide-next'), startLeadMs: Number(process.env.START_LEAD_MS ?? 5000) };
}

let cached: ReturnType<typeof createDecideNextHandler> | undefined;
export const handler = (event: DecideNextEvent): Promise<SweepState> => (cached ??= createDecideNextHandler(defaultDecideNextDeps()))(event);
