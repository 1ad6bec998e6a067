import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { ScenarioWorkerItem } from '../../lib/benchmark/pipeline-state';
import { loadOf } from '../../lib/results/scenario-schedule';
import { createPayloadSource } from '../payload';
import { scenarioKeys } from '../pipeline/layout';
import { CONTENT_TYPES } from '../pipeline/result-store';
import { encodeJsonl } from '../records/jsonl';
import { driveScenario, wallMsOf, type StreamHandoff } from '../scenario/drive';
import { defaultCommonDeps, type CommonDeps } from './deps';
import { workerTarget } from './worker-target';

export interface ScenarioWorkerDeps extends CommonDeps {
  /** Injected runtime client (offline: pointed at the local endpoint); else one sized to the worker. */
  readonly runtimeClient?: SageMakerRuntimeClient;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Hand-off of each stream between windows through the store: window K's stream I writes
 * handoff/window-K-sI.json once its last request finished; window K+1's stream I starts when it
 * appears. One listing of the previous window's markers serves every waiting stream, every half
 * second of endpoint time (200 ms at most); a stream waits at most until its window's start plus one
 * request deadline (a worker that died leaves no marker).
 */
function storeHandoff(deps: ScenarioWorkerDeps, item: ScenarioWorkerItem): StreamHandoff {
  const keys = scenarioKeys(item.deploymentId, item.runId);
  const giveUpAt = wallMsOf({ startWallMs: item.scenarioStartEpochMs, speedup: deps.speedup }, item.fromS) + (item.timeoutS * 1000) / deps.speedup;
  const pollMs = Math.min(200, 500 / deps.speedup);
  const waiting = new Map<number, () => void>();
  let polling: Promise<void> | undefined;
  const poll = async (): Promise<void> => {
    const prefix = keys.handoffPrefix(item.window - 1);
    while (waiting.size > 0) {
      const done = new Set((await deps.store.list(prefix)).map((key) => Number(/-s(\d+)\.json$/.exec(key)?.[1])));
      for (const [index, resolve] of [...waiting]) {
        if (done.has(index) || Date.now() >= giveUpAt) {
          waiting.delete(index);
          resolve();
        }
      }
      if (waiting.size > 0) await sleep(pollMs);
    }
    polling = undefined;
  };
  return {
    wait(index) {
      if (item.window === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiting.set(index, resolve);
        polling ??= poll();
      });
    },
    async done(index) {
      await deps.store.putJson(keys.handoff(item.window, index), { endEpochMs: Date.now() });
    },
  };
}

export interface ScenarioWorkerResult {
  readonly window: number;
  readonly worker: number;
  readonly records: number;
  readonly recordsKey: string;
}

/**
 * One worker's share of one scenario window: the streams i with i mod workers = worker follow the
 * schedule's concurrency over the window (driveScenario, from the scenario's common start), each
 * stream picking up where the previous window's left off (storeHandoff); the raw records go to scenarios/{deployment}/{runId}/records/window-{K}-w{W}.jsonl.gz.
 */
export function createScenarioWorkerHandler(deps: ScenarioWorkerDeps) {
  return async (item: ScenarioWorkerItem): Promise<ScenarioWorkerResult> => {
    // Connections: a stream each, or for a rate load its share of the top rate × one request deadline (at most 1024).
    const streams =
      loadOf(item.spec) === 'rate'
        ? Math.min(1024, Math.ceil((item.spec.to * item.timeoutS) / item.workers) + 1)
        : Math.ceil(Math.max(1, item.spec.from, item.spec.to) / item.workers);
    // Every refusal counts (no capacity, throttled): the scenario measures them, the SDK must not hide them.
    const target = workerTarget(item, deps, { maxSockets: streams, retries: 0 });
    try {
      const payload = createPayloadSource({ inputTokens: item.inputTokens, outputTokens: item.outputTokens, seed: item.seed });
      const records = await driveScenario({
        spec: item.spec,
        startWallMs: item.scenarioStartEpochMs,
        speedup: deps.speedup,
        fromS: item.fromS,
        toS: item.toS,
        target,
        payload,
        worker: item.worker,
        workers: item.workers,
        // An open loop needs no hand-off: each window's arrivals start at its start on their own clock.
        ...(loadOf(item.spec) === 'concurrency' ? { handoff: storeHandoff(deps, item) } : {}),
      });
      const key = scenarioKeys(item.deploymentId, item.runId).records(item.window, item.worker);
      await deps.store.putBytes(key, encodeJsonl(records, { gzip: true }), CONTENT_TYPES.jsonl);
      deps.logger.info('scenario worker done', { window: item.window, worker: item.worker, records: records.length });
      return { window: item.window, worker: item.worker, records: records.length, recordsKey: key };
    } finally {
      await target.close();
    }
  };
}

let cached: ReturnType<typeof createScenarioWorkerHandler> | undefined;
export const handler = (event: ScenarioWorkerItem): Promise<ScenarioWorkerResult> =>
  (cached ??= createScenarioWorkerHandler(defaultCommonDeps('llm-bench-scenario-worker')))(event);
