import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { ScenarioWorkerItem } from '../../lib/benchmark/pipeline-state';
import { createPayloadSource } from '../payload';
import { scenarioKeys } from '../pipeline/layout';
import { CONTENT_TYPES } from '../pipeline/result-store';
import { encodeJsonl } from '../records/jsonl';
import { driveScenario } from '../scenario/drive';
import { createSageMakerTarget } from '../targets/sagemaker';
import { defaultCommonDeps, type CommonDeps } from './deps';

export interface ScenarioWorkerDeps extends CommonDeps {
  /** Injected runtime client (offline: pointed at the local endpoint); else one sized to the worker. */
  readonly runtimeClient?: SageMakerRuntimeClient;
}

export interface ScenarioWorkerResult {
  readonly window: number;
  readonly worker: number;
  readonly records: number;
  readonly recordsKey: string;
}

/**
 * One worker's share of one scenario window: the streams i with i mod workers = worker follow the
 * schedule's concurrency over the window (driveScenario, from the scenario's common start); the
 * raw records go to scenarios/{deployment}/{runId}/records/window-{K}-w{W}.jsonl.gz.
 */
export function createScenarioWorkerHandler(deps: ScenarioWorkerDeps) {
  return async (item: ScenarioWorkerItem): Promise<ScenarioWorkerResult> => {
    const streams = Math.ceil(Math.max(1, item.spec.from, item.spec.to) / item.workers);
    const target = createSageMakerTarget({
      endpointName: item.endpointName,
      ...(item.inferenceComponentName !== undefined ? { inferenceComponent: item.inferenceComponentName } : {}),
      stream: item.stream,
      ...(item.container !== undefined ? { container: item.container } : {}),
      ...(deps.runtimeClient ? { client: deps.runtimeClient } : {}),
      maxSockets: streams,
      // Every refusal counts (no capacity, throttled): the scenario measures them, the SDK must not hide them.
      retries: 0,
      // The deadline is real time at the endpoint; a time-compressed endpoint shortens it alike.
      timeoutMs: (item.timeoutS * 1000) / deps.speedup,
    });
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
