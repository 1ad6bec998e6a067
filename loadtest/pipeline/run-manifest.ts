import type { LevelResult, PayloadDescription, TargetDescription } from '../../lib/results/records';
import { levelsPrefix, runManifestKey } from './layout';
import { readMeasuredLevels } from './merge-level';
import type { ResultStore } from './result-store';
import type { DeploymentInput } from '../../lib/benchmark/pipeline-state';

/** What a run is, written once when it starts (a resumed run keeps the first manifest). */
export interface RunManifest {
  readonly schemaVersion: 1;
  readonly runId: string;
  readonly startedAt: string;
  readonly deployment: DeploymentInput;
  readonly target: TargetDescription;
  readonly payload: PayloadDescription;
}

export function targetOf(deployment: DeploymentInput, speedup: number): TargetDescription {
  return {
    kind: deployment.benchmark.stream ? 'sagemaker-stream' : 'sagemaker',
    address: deployment.endpointName,
    ...(deployment.inferenceComponentName !== undefined ? { inferenceComponent: deployment.inferenceComponentName } : {}),
    ...(speedup !== 1 ? { speedup } : {}),
  };
}

/** Reads the run's manifest, writing it first when the run is new. */
export async function ensureRunManifest(
  store: ResultStore,
  deployment: DeploymentInput,
  runId: string,
  speedup: number,
  now: Date,
): Promise<RunManifest> {
  const key = runManifestKey(deployment.id, runId);
  const existing = await store.getJson<RunManifest>(key);
  if (existing !== undefined) return existing;
  const manifest: RunManifest = {
    schemaVersion: 1,
    runId,
    startedAt: now.toISOString(),
    deployment,
    target: targetOf(deployment, speedup),
    payload: { inputTokens: deployment.benchmark.inputTokens, outputTokens: deployment.benchmark.outputTokens },
  };
  await store.putJson(key, manifest);
  return manifest;
}

/** Levels merged so far in a run. */
export async function loadRunLevels(store: ResultStore, deploymentId: string, runId: string): Promise<LevelResult[]> {
  const keys = (await store.list(levelsPrefix(deploymentId, runId))).filter((k) => k.endsWith('.json'));
  return readMeasuredLevels(store, keys);
}
