import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { createPayloadSource, parseLengthDistribution } from '../payload';
import { recordsKey } from '../pipeline/layout';
import { encodeJsonl } from '../records/jsonl';
import { CONTENT_TYPES } from '../pipeline/result-store';
import type { WorkerItem } from '../../lib/benchmark/pipeline-state';
import { runLevel } from '../runner/run-level';
import { runOpenLoop } from '../runner/run-open-loop';
import { createSageMakerTarget } from '../targets/sagemaker';
import { defaultCommonDeps, type CommonDeps } from './deps';

export interface RunWorkerDeps extends CommonDeps {
  /** Injected runtime client (offline: pointed at the local endpoint); else one sized to the worker. */
  readonly runtimeClient?: SageMakerRuntimeClient;
  readonly endpointUrl?: string;
  readonly region?: string;
  /** Called before the closed loop starts; tests inject faults here. */
  readonly beforeRun?: (item: WorkerItem) => void | Promise<void>;
}

export interface WorkerResult {
  readonly concurrency: number;
  readonly worker: number;
  readonly records: number;
  readonly ok: number;
  /** Store key of the raw records (absent for the warm-up). */
  readonly recordsKey?: string;
}

/**
 * One worker's slice of a level: a closed loop of `workerConcurrency` streams from the level's
 * common start for the fixed window; its raw records go to records/c-{N}-w{W}.jsonl.gz.
 * A warm-up item sends its requests and keeps nothing.
 */
export function createRunWorkerHandler(deps: RunWorkerDeps) {
  return async (item: WorkerItem): Promise<WorkerResult> => {
    await deps.beforeRun?.(item);
    const target = createSageMakerTarget({
      endpointName: item.endpointName,
      ...(item.inferenceComponentName !== undefined ? { inferenceComponent: item.inferenceComponentName } : {}),
      stream: item.stream,
      ...(item.container !== undefined ? { container: item.container } : {}),
      ...(deps.runtimeClient ? { client: deps.runtimeClient } : {}),
      ...(deps.endpointUrl ? { endpointUrl: deps.endpointUrl } : {}),
      ...(deps.region ? { region: deps.region } : {}),
      // Sockets sized to the streams this worker holds: the SDK's default pool would cap them.
      maxSockets: item.workerConcurrency,
      // The deadline is real time at the endpoint; a time-compressed endpoint shortens it alike.
      timeoutMs: (item.timeoutS * 1000) / deps.speedup,
    });
    try {
      // Builds the prompt (tokenizer work) now, before the common start, not inside the measured window.
      const payload = createPayloadSource({
        inputTokens: item.inputDistribution !== undefined ? parseLengthDistribution(item.inputDistribution, 'inputDistribution') : item.inputTokens,
        outputTokens: item.outputDistribution !== undefined ? parseLengthDistribution(item.outputDistribution, 'outputDistribution') : item.outputTokens,
        // Workers of one level draw different length sequences (the seed plus the worker's index); a fixed
        // payload keeps the level's seed, so workers in one process share the built prompt.
        seed: item.inputDistribution !== undefined || item.outputDistribution !== undefined ? item.seed + item.worker : item.seed,
        ...(item.tokenLimits !== undefined ? { limits: item.tokenLimits } : {}),
      });
      const warmup = item.phase === 'warmup';
      // The window is real time at the endpoint: a time-compressed endpoint runs it `speedup` times faster.
      const window = warmup ? { requests: item.requests ?? 1 } : { durationS: (item.durationS ?? 60) / deps.speedup, startAtEpochMs: item.startAtEpochMs };
      const { records, level } =
        item.ratePerS !== undefined && !warmup
          ? await runOpenLoop({
              target,
              payload,
              levelKey: item.concurrency,
              ratePerS: item.ratePerS,
              arrival: item.arrival ?? 'poisson',
              burstiness: item.burstiness,
              seed: item.seed,
              ...window,
              speedup: deps.speedup,
            })
          : await runLevel({ target, payload, concurrency: item.workerConcurrency, ...window, speedup: deps.speedup });
      // No record is warm-up here (the warm-up item measures by count), so the level's ok counts them all.
      const { ok } = level;
      deps.logger.info('worker done', { phase: item.phase, concurrency: item.concurrency, worker: item.worker, records: records.length, ok });
      if (warmup) return { concurrency: item.concurrency, worker: item.worker, records: records.length, ok };
      // Records carry the level's endpoint-wide concurrency and a worker index unique across Lambdas.
      const stamped = records.map((r) => ({ ...r, concurrency: item.concurrency, worker: item.worker * 100000 + r.worker }));
      const key = recordsKey(item.deploymentId, item.runId, item.concurrency, item.worker);
      await deps.store.putBytes(key, encodeJsonl(stamped, { gzip: true }), CONTENT_TYPES.jsonl);
      return { concurrency: item.concurrency, worker: item.worker, records: records.length, ok, recordsKey: key };
    } finally {
      await target.close();
    }
  };
}

let cached: ReturnType<typeof createRunWorkerHandler> | undefined;
export const handler = (event: WorkerItem): Promise<WorkerResult> =>
  (cached ??= createRunWorkerHandler(defaultCommonDeps('llm-bench-run-worker')))(event);
