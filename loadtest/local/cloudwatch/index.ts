import type { ServerResponse } from 'node:http';
import type { ServingEngine } from '../../../lib/planner/engine/types';
import { kvBytesPerTokenPerShard, runtimeAllowanceBytes, weightsBytesPerShard, BYTES_PER_GB } from '../../../lib/planner/memory';
import type { LocalDeployment } from '../deployment';
import type { VirtualClock } from '../control-plane/timeline';
import { createLocalCloudWatch, type LocalCloudWatch } from './cloudwatch-api';
import { instrumentEngine } from './instrument-engine';
import { ServingRecord } from './serving-record';

export { CLOUDWATCH_TARGET_PREFIX, type LocalCloudWatch } from './cloudwatch-api';
export { OVERHEAD_LATENCY_MS, HIGH_RESOLUTION_INTERVAL_S } from './metric-samples';
export { ServingRecord } from './serving-record';

/** The local endpoint's telemetry: what its engines and containers did, and the CloudWatch API that reports it. */
export interface TwinTelemetry {
  readonly record: ServingRecord;
  readonly cloudWatch: LocalCloudWatch;
  /** Wraps a backend's engine so its replicas' requests in flight are recorded. */
  instrument(engine: ServingEngine, component: string | undefined): ServingEngine;
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

export function createTwinTelemetry(deployment: LocalDeployment, clock: VirtualClock, variantName: string): TwinTelemetry {
  const record = new ServingRecord();
  const memory = gpuMemoryFraction(deployment);
  return {
    record,
    cloudWatch: createLocalCloudWatch(record, { endpointName: deployment.endpointName, variantName, instances: deployment.instances }, clock),
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
    recordInvocation(component, response) {
      const startMs = clock();
      response.once('close', () => record.addInvocation({ component, startMs, endMs: clock(), status: response.statusCode }));
    },
  };
}
