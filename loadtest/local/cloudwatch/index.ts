import type { ServerResponse } from 'node:http';
import type { ServingEngine } from '../../../lib/planner/engine/types';
import { kvBytesPerTokenPerShard, runtimeAllowanceBytes, weightsBytesPerShard, BYTES_PER_GB } from '../../../lib/planner/memory';
import type { LocalDeployment } from '../deployment';
import type { VirtualClock } from '../control-plane/timeline';
import { createLocalCloudWatch, type LocalCloudWatch, type LocalCloudWatchOptions } from './cloudwatch-api';
import { instrumentEngine } from './instrument-engine';
import { CopiesInService, ServingRecord, type ReplicaRecord } from './serving-record';

export { CLOUDWATCH_TARGET_PREFIX, type LocalCloudWatch, type LocalCloudWatchOptions } from './cloudwatch-api';
export { OVERHEAD_LATENCY_MS, HIGH_RESOLUTION_INTERVAL_S } from './metric-samples';
export { CopiesInService, ServingRecord } from './serving-record';

/** The local endpoint's telemetry: what its engines and containers did, and the CloudWatch API that reports it. */
export interface TwinTelemetry {
  readonly record: ServingRecord;
  readonly cloudWatch: LocalCloudWatch;
  /** Wraps a backend's engine so its replicas' requests in flight are recorded. */
  instrument(engine: ServingEngine, component: string | undefined): ServingEngine;
  /**
   * Wraps the single-copy engines of an autoscaled component's pool (copy k = engine k) as one
   * component whose copies publish only while in service: `copies` takes CurrentCopyCount changes.
   */
  instrumentPool(engines: readonly ServingEngine[], component: string): { engines: ServingEngine[]; copies: CopiesInService };
  /** Registers what must happen before the local CloudWatch answers (the control plane's due copy changes). */
  beforeRead(hook: () => void): void;
  /** Records an invocation the model container answers, from now until `response` closes. */
  recordInvocation(component: string | undefined, response: ServerResponse): void;
}

/**
 * Share of each GPU's memory a TGI copy holds: weights ÷ TP + the runtime allowance + its batch KV
 * budget (MAX_BATCH_TOTAL_TOKENS or what memory allows), all reserved at warm-up (lib/planner/memory.ts).
 */
export function gpuMemoryFraction(deployment: Pick<LocalDeployment, 'model' | 'instance' | 'tp' | 'batchTotalTokens'>): number {
  const { model, instance, tp, batchTotalTokens } = deployment;
  const deviceBytes = instance.accelerator.memoryGB * BYTES_PER_GB;
  const used = weightsBytesPerShard(model, tp) + runtimeAllowanceBytes(instance.accelerator) + batchTotalTokens * kvBytesPerTokenPerShard(model, tp);
  return Math.min(1, used / deviceBytes);
}

export function createTwinTelemetry(deployment: LocalDeployment, clock: VirtualClock, variantName: string, cloudWatch: LocalCloudWatchOptions = {}): TwinTelemetry {
  const record = new ServingRecord();
  const memory = gpuMemoryFraction(deployment);
  // Copies that fit one instance (its GPUs ÷ TP); a pool's copy k runs on instance k ÷ that.
  const copiesPerInstance = Math.max(1, Math.floor(deployment.instance.acceleratorCount / deployment.tp));
  const hooks: (() => void)[] = [];
  return {
    record,
    cloudWatch: createLocalCloudWatch(record, { endpointName: deployment.endpointName, variantName, instances: deployment.instances }, clock, {
      ...cloudWatch,
      beforeRead: () => {
        cloudWatch.beforeRead?.();
        for (const hook of hooks) hook();
      },
    }),
    beforeRead(hook) {
      hooks.push(hook);
    },
    instrument(engine, component) {
      const { engine: wrapped, replicas } = instrumentEngine(engine, {
        replicas: deployment.copies * deployment.instances,
        copiesPerInstance: deployment.copies,
        gpusPerReplica: deployment.tp,
        epochOfEngineZeroMs: clock(),
      });
      record.addBackend({ component, replicas, gpuMemoryFraction: memory });
      return wrapped;
    },
    instrumentPool(engines, component) {
      const replicas: ReplicaRecord[] = [];
      const wrapped = engines.map((engine, k) => {
        const instrumented = instrumentEngine(engine, {
          replicas: 1,
          copiesPerInstance: 1,
          gpusPerReplica: deployment.tp,
          epochOfEngineZeroMs: clock(),
          instanceOf: () => Math.min(deployment.instances - 1, Math.floor(k / copiesPerInstance)),
        });
        replicas.push(...instrumented.replicas);
        return instrumented.engine;
      });
      const copies = new CopiesInService();
      record.addBackend({ component, replicas, gpuMemoryFraction: memory, copies });
      return { engines: wrapped, copies };
    },
    recordInvocation(component, response) {
      const startMs = clock();
      response.once('close', () => record.addInvocation({ component, startMs, endMs: clock(), status: response.statusCode }));
    },
  };
}
