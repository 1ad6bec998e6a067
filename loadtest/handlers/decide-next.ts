import { decideNext } from '../pipeline/decide-next';
import { loadRunLevels } from '../pipeline/run-manifest';
import type { ExecutionState, SweepState } from '../../lib/benchmark/pipeline-state';
import { defaultCommonDeps } from './deps';
import type { PlanLevelsDeps } from './plan-levels';

/** Applies the stop rules (list) or the adaptive search (auto) to the levels merged so far. */
export function createDecideNextHandler(deps: PlanLevelsDeps) {
  return async (state: ExecutionState): Promise<SweepState> => {
    const { deployment } = state;
    const runId = state.sweep?.runId ?? state.runId;
    if (runId === undefined) throw new Error('decide-next: no runId in the state (plan-levels did not run)');
    const measured = await loadRunLevels(deps.store, deployment.id, runId);
    const sweep = decideNext({ deployment, runId, measured, nowEpochMs: deps.now().getTime(), startLeadMs: deps.startLeadMs });
    deps.logger.info('decided', { deploymentId: deployment.id, runId, next: sweep.concurrency, done: sweep.done, stopReason: sweep.stopReason });
    return sweep;
  };
}

export function defaultDecideNextDeps(): PlanLevelsDeps {
  return { ...defaultCommonDeps('llm-bench-decide-next'), startLeadMs: Number(process.env.START_LEAD_MS ?? 5000) };
}

let cached: ReturnType<typeof createDecideNextHandler> | undefined;
export const handler = (event: ExecutionState): Promise<SweepState> => (cached ??= createDecideNextHandler(defaultDecideNextDeps()))(event);
