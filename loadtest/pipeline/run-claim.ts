import type { DeploymentInput } from '../../lib/benchmark/pipeline-state';
import { pipelineRunKeys } from './layout';
import type { ResultStore } from './result-store';
import { ensureRunManifest, type ManifestClaim, type PipelineRunManifest } from './run-manifest';
import { acquireRunLock, type RunOwner } from './run-lock';

export interface PipelineRunClaim extends ManifestClaim<PipelineRunManifest> {
  /** A stale lock (dead process of this host, offline runs) taken over. */
  readonly tookOver?: RunOwner;
}

/**
 * Claims a pipeline run for one execution: its lock (create-only, so two executions cannot own one
 * run id; a later step of the same execution re-enters it), then its manifest (same identity
 * resumes, a different one is refused). Throws RunLockedError or RunIdentityError; the lock is
 * released again when the manifest is refused.
 */
export async function claimPipelineRun(
  store: ResultStore,
  deployment: DeploymentInput,
  runId: string,
  owner: RunOwner,
  speedup: number,
  now: Date,
): Promise<PipelineRunClaim> {
  const keys = pipelineRunKeys(deployment.id, runId);
  const lock = await acquireRunLock(store, keys.lock, owner, {
    field: 'runId',
    location: `run ${runId} of ${deployment.id}`,
    remedy: `start the execution with another runId, or wait for it to end (if it no longer runs, delete ${store.locate(keys.lock)})`,
  });
  try {
    const claim = await ensureRunManifest(store, deployment, runId, speedup, now);
    return { ...claim, ...(lock.tookOver ? { tookOver: lock.tookOver } : {}) };
  } catch (error) {
    if (!lock.reentered) await lock.release();
    throw error;
  }
}

/** Releases the run's lock when `owner` holds it (the last step of an execution, success or failure). */
export async function releasePipelineRun(store: ResultStore, deploymentId: string, runId: string, owner: RunOwner): Promise<void> {
  const key = pipelineRunKeys(deploymentId, runId).lock;
  const holder = await store.getJson<RunOwner>(key);
  if (holder !== undefined && holder.execution !== undefined && holder.execution === owner.execution) await store.delete(key);
}

/** The owner of a pipeline execution's steps. */
export function executionOwner(execution: string, now: Date): RunOwner {
  return { execution, startedAt: now.toISOString(), command: 'llm-bench pipeline' };
}
