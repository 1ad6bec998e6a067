import type { LevelResult, PayloadDescription, TargetDescription } from '../../lib/results/records';
import type { DeploymentInput } from '../../lib/benchmark/pipeline-state';
import { pipelineRunKeys, runManifestKey } from './layout';
import { RunFiles } from './run-files';
import type { ResultStore } from './result-store';
import { identityDifferences, identityHash, RunIdentityError, TOOL_VERSION, type RunIdentity } from './run-identity';

export const RUN_MANIFEST_VERSION = 2;

/**
 * What a run is, claimed once when it starts with a create-only write (a resumed run keeps the
 * first manifest). `identityHash` hashes `identity`; a resume must present the same hash.
 */
export interface RunManifest {
  readonly schemaVersion: typeof RUN_MANIFEST_VERSION;
  readonly runId: string;
  readonly startedAt: string;
  readonly toolVersion: string;
  readonly identityHash: string;
  readonly identity: RunIdentity;
  readonly target: TargetDescription;
  readonly payload: PayloadDescription;
  /** The deployment as the state machine carries it (pipeline runs). */
  readonly deployment?: DeploymentInput;
}

/** A pipeline run's manifest: it always names its deployment. */
export interface PipelineRunManifest extends RunManifest {
  readonly deployment: DeploymentInput;
}

export interface ManifestClaim<M extends RunManifest = RunManifest> {
  readonly manifest: M;
  /** True when the run existed with the same identity (this run continues it). */
  readonly resumed: boolean;
}

/** Where a manifest lives, for errors: the field to name and the remedies to offer. */
export interface ManifestPlace {
  readonly field: string;
  readonly location: string;
  readonly remedies: string;
}

export function newManifest(fields: Omit<RunManifest, 'schemaVersion' | 'toolVersion' | 'identityHash'>): RunManifest {
  return { schemaVersion: RUN_MANIFEST_VERSION, toolVersion: TOOL_VERSION, identityHash: identityHash(fields.identity), ...fields };
}

/**
 * Claims a run: writes `fresh` at `key` when no manifest is there (create-only), else reads the
 * stored one and continues it when its identity hash is the same. A different identity (or a
 * manifest of an older format, whose identity is unknown) is refused with a RunIdentityError that
 * lists the differing fields and `place.remedies`.
 */
export async function claimRunManifest<M extends RunManifest>(store: ResultStore, key: string, fresh: M, place: ManifestPlace): Promise<ManifestClaim<M>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await store.createIfAbsent(key, `${JSON.stringify(fresh, null, 2)}\n`, 'application/json')) return { manifest: fresh, resumed: false };
    const stored = await store.getJson<M | { schemaVersion?: unknown }>(key);
    if (stored === undefined) continue; // moved aside meanwhile
    if (stored.schemaVersion !== RUN_MANIFEST_VERSION) {
      throw new RunIdentityError(place.field, place.location, [`schemaVersion: ${JSON.stringify(stored.schemaVersion)} → ${RUN_MANIFEST_VERSION} (written by an older llm-bench: identity unknown)`], place.remedies);
    }
    const manifest = stored as M;
    if (manifest.identityHash === fresh.identityHash) return { manifest, resumed: true };
    const differences = identityDifferences(manifest.identity, fresh.identity);
    throw new RunIdentityError(place.field, place.location, differences.length > 0 ? differences : [`identityHash: ${manifest.identityHash} → ${fresh.identityHash}`], place.remedies);
  }
  throw new Error(`${place.location}: could not claim ${store.locate(key)}`);
}

export function targetOf(deployment: DeploymentInput, speedup: number): TargetDescription {
  return {
    kind: deployment.benchmark.stream ? 'sagemaker-stream' : 'sagemaker',
    address: deployment.endpointName,
    ...(deployment.inferenceComponentName !== undefined ? { inferenceComponent: deployment.inferenceComponentName } : {}),
    ...(speedup !== 1 ? { speedup } : {}),
  };
}

/** What defines a pipeline run's measurement (the regression threshold and the price do not). */
export function pipelineIdentity(deployment: DeploymentInput, speedup: number): RunIdentity {
  const b = deployment.benchmark;
  const target = targetOf(deployment, speedup);
  return {
    target: { ...target },
    deployment: { id: deployment.id, model: deployment.model, instanceType: deployment.instanceType, instances: deployment.instances, tp: deployment.tp, copies: deployment.copies },
    payload: { inputTokens: b.inputTokens, outputTokens: b.outputTokens },
    workload: {
      durationS: b.durationS,
      warmupRequests: b.warmupRequests,
      stream: b.stream,
      workers: b.workers,
      timeoutS: b.timeoutS,
      // Set only when given, so the identity of a run without them is unchanged.
      ...(b.repeat !== undefined && b.repeat > 1 ? { repeat: b.repeat } : {}),
      ...(b.minCompletionsPerSlot !== undefined ? { minCompletionsPerSlot: b.minCompletionsPerSlot } : {}),
    },
    levels: {
      concurrency: b.concurrency === 'auto' ? 'auto' : [...b.concurrency],
      maxConcurrency: b.maxConcurrency,
      ...(b.mode === 'rate' ? { mode: 'rate', rates: [...(b.rates ?? [])], arrival: b.arrival ?? 'poisson', ...(b.burstiness !== undefined ? { burstiness: b.burstiness } : {}) } : {}),
    },
    slos: { maxErrorRate: b.maxErrorRate, plateauGain: b.plateauGain, latencyBoundMsPerToken: b.latencyBoundMsPerToken },
    toolVersion: TOOL_VERSION,
  };
}

/** Remedies of a refused pipeline run id. */
export const PIPELINE_REMEDIES = 'Start the execution with a new runId (or without one: the execution name is used).';

/**
 * Claims a pipeline run's manifest (S3: `If-None-Match: *`): a new run id is created, the same
 * identity resumes, a different identity under a reused run id is refused.
 */
export async function ensureRunManifest(
  store: ResultStore,
  deployment: DeploymentInput,
  runId: string,
  speedup: number,
  now: Date,
  place: Partial<ManifestPlace> = {},
): Promise<ManifestClaim<PipelineRunManifest>> {
  const key = runManifestKey(deployment.id, runId);
  const fresh = {
    ...newManifest({
      runId,
      startedAt: now.toISOString(),
      identity: pipelineIdentity(deployment, speedup),
      target: targetOf(deployment, speedup),
      payload: { inputTokens: deployment.benchmark.inputTokens, outputTokens: deployment.benchmark.outputTokens },
    }),
    deployment,
  };
  return claimRunManifest(store, key, fresh, {
    field: place.field ?? 'runId',
    location: place.location ?? `run ${runId} of ${deployment.id} (${store.locate(key)})`,
    remedies: place.remedies ?? PIPELINE_REMEDIES,
  });
}

/** The stored manifest of a pipeline run, if any. */
export async function readRunManifest(store: ResultStore, deploymentId: string, runId: string): Promise<PipelineRunManifest | undefined> {
  const stored = await store.getJson<PipelineRunManifest>(runManifestKey(deploymentId, runId));
  return stored?.schemaVersion === RUN_MANIFEST_VERSION ? stored : undefined;
}

/** Levels merged so far in a run. */
export async function loadRunLevels(store: ResultStore, deploymentId: string, runId: string): Promise<LevelResult[]> {
  return new RunFiles(store, pipelineRunKeys(deploymentId, runId)).measuredLevels();
}
