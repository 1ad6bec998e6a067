import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { createPayloadSource, parseLengthDistribution } from '../payload';
import { pipelineRunKeys } from '../pipeline/layout';
import { RunFiles } from '../pipeline/run-files';
import { WORKER_RUN_VERSION } from '../pipeline/worker-run';
import type { WorkerItem } from '../../lib/benchmark/pipeline-state';
import type { ClientVerdict } from '../../lib/results/records';
import { runLevel } from '../runner/run-level';
import { runOpenLoop } from '../runner/run-open-loop';
import type { TwinLagProbe } from '../local/twin-lag';
import { defaultCommonDeps, type CommonDeps } from './deps';
import { workerTarget } from './worker-target';

export interface RunWorkerDeps extends CommonDeps {
  /** Injected runtime client (offline: pointed at the local endpoint); else one sized to the worker. */
  readonly runtimeClient?: SageMakerRuntimeClient;
  readonly endpointUrl?: string;
  readonly region?: string;
  /** Called before the closed loop starts; tests inject faults here. */
  readonly beforeRun?: (item: WorkerItem) => void | Promise<void>;
  /**
   * Keep the worker's client verdict (its workers/ file and the level's `client`). Off, levels carry
   * none and stop rules judge every level: for offline tests of stop rules, whose workers share one
   * process (and a loaded machine) with the endpoint twin. @default true
   */
  readonly recordClient?: boolean;
  /**
   * The endpoint is a local twin (offline): its own lag is read around the worker's window and kept
   * in its workers/ file (`twin`), so the merged level carries the twin's verdict. Absent in AWS.
   */
  readonly twinLag?: TwinLagProbe;
}

export interface WorkerResult {
  readonly concurrency: number;
  readonly worker: number;
  readonly records: number;
  readonly ok: number;
  /** Store key of the raw records (absent for the warm-up). */
  readonly recordsKey?: string;
  /** Which measurement of a repeated level. */
  readonly repeat?: number;
  /** The worker's client verdict (also in its workers/ file, which the merge reads). */
  readonly client?: ClientVerdict['verdict'];
}

/** The part of Lambda's context a worker reads: its remaining time bounds an extended window. */
export interface WorkerContext {
  getRemainingTimeInMillis(): number;
}

/** Time a worker keeps after its window for the requests in flight to end and its files to be written, beyond their deadline. */
const WORKER_MARGIN_MS = 15_000;

/**
 * Hard end of this worker's window, wall s after it began: what its Lambda's remaining time leaves
 * once the wait for the common start, the drain (one request deadline) and a margin are taken off;
 * undefined without a Lambda context (offline), where the window rule's own cap applies.
 */
export function workerWindowCapS(item: WorkerItem, context: WorkerContext | undefined, nowEpochMs: number, speedup: number): number | undefined {
  if (context === undefined) return undefined;
  const untilStartMs = Math.max(0, item.startAtEpochMs - nowEpochMs);
  const drainMs = (item.timeoutS * 1000) / speedup;
  return Math.max(0, (context.getRemainingTimeInMillis() - untilStartMs - drainMs - WORKER_MARGIN_MS) / 1000);
}

/**
 * One worker's slice of a level: a closed loop of `workerConcurrency` streams from the level's
 * common start for the window (extended by the one window rule until `minCompletionsPerSlot`
 * completions per stream, within the Lambda's remaining time), or in mode rate its share of the
 * arrivals under its share of the cap. Its raw records go to records/c-{N}-w{W}[-r{R}].jsonl.gz and
 * what records cannot carry (client verdict, peak in flight) to workers/c-{N}-w{W}[-r{R}].json.
 * A warm-up item sends its requests and keeps nothing.
 */
export function createRunWorkerHandler(deps: RunWorkerDeps) {
  return async (item: WorkerItem, context?: WorkerContext): Promise<WorkerResult> => {
    await deps.beforeRun?.(item);
    const target = workerTarget(item, deps, { maxSockets: item.workerConcurrency });
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
      const repeat = warmup ? undefined : item.repeat;
      const maxWindowS = warmup ? undefined : workerWindowCapS(item, context, deps.now().getTime(), deps.speedup);
      const endLag = warmup ? undefined : await deps.twinLag?.begin();
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
              ...(item.maxInFlight !== undefined ? { maxConcurrency: item.maxInFlight } : {}),
              ...window,
              speedup: deps.speedup,
              repeat,
            })
          : await runLevel({
              target,
              payload,
              concurrency: item.workerConcurrency,
              ...window,
              speedup: deps.speedup,
              repeat,
              ...(warmup ? {} : { minCompletionsPerSlot: item.minCompletionsPerSlot, ...(maxWindowS !== undefined ? { maxWindowS } : {}) }),
            });
      const twin = await endLag?.();
      // No record is warm-up here (the warm-up item measures by count), so the level's ok counts them all.
      const { ok } = level;
      deps.logger.info('worker done', { phase: item.phase, concurrency: item.concurrency, worker: item.worker, repeat: item.repeat ?? 0, records: records.length, ok, client: level.client });
      if (warmup) return { concurrency: item.concurrency, worker: item.worker, records: records.length, ok };
      // Records carry the level's endpoint-wide concurrency and a worker index unique across Lambdas.
      const stamped = records.map((r) => ({ ...r, concurrency: item.concurrency, worker: item.worker * 100000 + r.worker }));
      const run = new RunFiles(deps.store, pipelineRunKeys(item.deploymentId, item.runId));
      const key = await run.putRecords(item.concurrency, item.worker, stamped, true, repeat);
      // Written after the records: the merge takes a level's worker as done when both are there.
      await run.putWorkerRun({
        schemaVersion: WORKER_RUN_VERSION,
        concurrency: item.concurrency,
        worker: item.worker,
        repeat: repeat ?? 0,
        requests: level.requests,
        ok,
        slots: item.maxInFlight ?? item.workerConcurrency,
        ...(level.client !== undefined && deps.recordClient !== false ? { client: level.client } : {}),
        ...(level.openLoop?.peakInFlight !== undefined ? { peakInFlight: level.openLoop.peakInFlight } : {}),
        ...(twin !== undefined ? { twin } : {}),
      });
      return {
        concurrency: item.concurrency,
        worker: item.worker,
        records: records.length,
        ok,
        recordsKey: key,
        ...(repeat !== undefined && repeat > 0 ? { repeat } : {}),
        ...(level.client !== undefined && deps.recordClient !== false ? { client: level.client.verdict } : {}),
      };
    } finally {
      await target.close();
    }
  };
}

let cached: ReturnType<typeof createRunWorkerHandler> | undefined;
export const handler = (event: WorkerItem, context?: WorkerContext): Promise<WorkerResult> =>
  (cached ??= createRunWorkerHandler(defaultCommonDeps('llm-bench-run-worker')))(event, context);
