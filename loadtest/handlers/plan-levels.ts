import { decideNext } from '../pipeline/decide-next';
import { claimPipelineRun, executionOwner } from '../pipeline/run-claim';
import { loadRunLevels } from '../pipeline/run-manifest';
import type { ExecutionState, SweepState } from '../../lib/benchmark/pipeline-state';
import { defaultCommonDeps, type CommonDeps } from './deps';

export interface PlanLevelsDeps extends CommonDeps {
  /** Lead time before a level's common start (workers get ready), ms. */
  readonly startLeadMs: number;
}

/** Payload of the plan step: the state plus the execution's name (default runId). */
export interface PlanLevelsEvent {
  readonly state: ExecutionState;
  readonly executionName: string;
}

/**
 * Starts or resumes a run: claims its lock and manifest (a run id held by another execution or
 * defining another measurement is refused), then plans from the levels already measured
 * under the same runId (a resumed run measures nothing twice), with the one-off warm-up.
 */
export function createPlanLevelsHandler(deps: PlanLevelsDeps) {
  return async (event: PlanLevelsEvent): Promise<SweepState> => {
    const { deployment } = event.state;
    const runId = event.state.runId ?? event.executionName;
    const claim = await claimPipelineRun(deps.store, deployment, runId, executionOwner(event.executionName, deps.now()), deps.speedup, deps.now());
    const measured = await loadRunLevels(deps.store, deployment.id, runId);
    const sweep = decideNext({ deployment, runId, measured, nowEpochMs: deps.now().getTime(), startLeadMs: deps.startLeadMs, withWarmup: true });
    deps.logger.info('planned', { deploymentId: deployment.id, runId, resumed: claim.resumed, measured: sweep.measured, next: sweep.concurrency, done: sweep.done });
    return sweep;
  };
}

export function defaultPlanLevelsDeps(): PlanLevelsDeps {
  return { ...defaultCommonDeps('llm-bench-plan-levels'), startLeadMs: Number(process.env.START_LEAD_MS ?? 5000) };
}

let cached: ReturnType<typeof createPlanLevelsHandler> | undefined;
export const handler = (event: PlanLevelsEvent): Promise<SweepState> => (cached ??= createPlanLevelsHandler(defaultPlanLevelsDeps()))(event);
