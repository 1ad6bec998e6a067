import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LocalEndpoint } from '../../loadtest/local';
import { runOffline, type OfflineOptions } from '../../loadtest/offline/run-offline';
import { synthesizePipeline, type SynthesizedFleet } from '../../loadtest/offline/synth';
import { COMPONENT_COPY_DIMENSION } from '../../lib/endpoint/scalable-dimensions';
import { loadFleetFile } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import type { WorkerItem } from '../../lib/benchmark/pipeline-state';
import { QUICK_TIMINGS } from '../../loadtest/local/control-plane/lifecycle-timings';

/** The quick lifecycle with copies placed faster (keeps the suite short; the order of events is unchanged). */
const LIFECYCLE = { ...QUICK_TIMINGS, copyPlacementMs: 3_000 };

/**
 * The post-deploy sweep of the published study's inference-component deployment (8 copies × TP 1 on
 * ml.p4d.24xlarge, copies autoscaled 1..8), through the synthesized state machine, against a local
 * control plane that behaves as AWS documents: the endpoint is InService before its component exists,
 * the copies are placed one at a time, the scalable target is registered once the component exists,
 * and the autoscaler scales the idle component in to 1 copy before the sweep gets to it.
 */
let synthesized: SynthesizedFleet;
const IC_DEPLOYMENT = 'llama-2-7b-p4d-ic-8x-tp1';
beforeAll(() => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const fleet = resolveFleet(loadFleetFile('fleets/published-study.yaml'), { region: 'us-east-1' });
  synthesized = synthesizePipeline({ ...fleet, deployments: fleet.deployments.filter((d) => d.id === IC_DEPLOYMENT) });
});

interface Observed {
  /** Copies in service and the target's SuspendedState each time a worker starts measuring. */
  readonly atMeasure: { current: number; desired: number; suspendedIn: boolean; suspendedOut: boolean; autoscalerActed: boolean }[];
  endpoint?: LocalEndpoint;
  /** Whether the component existed when the endpoint's IN_SERVICE event was published. */
  componentAtInService?: boolean;
}

function options(observed: Observed, extra: Partial<OfflineOptions> = {}): OfflineOptions {
  return {
    synthesized,
    deployment: IC_DEPLOYMENT,
    speedup: 60,
    lifecycle: LIFECYCLE,
    outDir: mkdtempSync(path.join(tmpdir(), 'llm-bench-lifecycle-')),
    benchmark: { durationS: 20, warmupRequests: 1, concurrency: [1, 8], plateauGain: 0 },
    onLocalEndpoint: (endpoint) => {
      observed.endpoint = endpoint;
      const cp = endpoint.controlPlane;
      cp.world.onCreated.push((resourceId) => {
        if (resourceId.startsWith('endpoint/')) observed.componentAtInService = cp.world.describeComponent(`${IC_DEPLOYMENT}`) !== undefined;
        // Idle right after creation: target tracking scales the component in to its minimum.
        if (resourceId.startsWith('inference-component/')) cp.autoScaling.scale(resourceId, COMPONENT_COPY_DIMENSION, 1, 'target tracking: ConcurrentRequestsPerCopy below target');
      });
    },
    beforeWorker: (item: WorkerItem) => {
      const cp = observed.endpoint?.controlPlane;
      if (item.phase !== 'measure' || cp === undefined || item.inferenceComponentName === undefined) return;
      const ic = cp.world.describeComponent(item.inferenceComponentName);
      const target = cp.autoScaling.describeTargets({ ServiceNamespace: 'sagemaker' }).ScalableTargets[0];
      // The sweep's own load would make the autoscaler act now.
      const acted = cp.autoScaling.scale(`inference-component/${item.inferenceComponentName}`, COMPONENT_COPY_DIMENSION, 2, 'target tracking: load') !== undefined;
      observed.atMeasure.push({
        current: ic?.currentCopies ?? -1,
        desired: ic?.desiredCopies ?? -1,
        suspendedIn: target?.SuspendedState.DynamicScalingInSuspended ?? false,
        suspendedOut: target?.SuspendedState.DynamicScalingOutSuspended ?? false,
        autoscalerActed: acted,
      });
    },
    ...extra,
  };
}

describe('post-deploy sweep of an inference-component deployment against the AWS lifecycle', () => {
  it('waits for the component and all 8 copies, measures with dynamic scaling suspended, and restores it', async () => {
    const observed: Observed = { atMeasure: [] };
    const result = await runOffline(options(observed, { runId: 'ic-lifecycle' }));
    expect(result.error).toBeUndefined();
    expect(result.succeeded).toBe(true);
    expect(observed.componentAtInService).toBe(false);
    // The sweep described the component while it did not exist yet, and waited.
    const icCalls = observed.endpoint?.controlPlane.calls().filter((c) => c.target === 'SageMaker.DescribeInferenceComponent') ?? [];
    expect(icCalls[0]).toMatchObject({ httpStatus: 400, errorType: 'ValidationException' });
    expect(icCalls.at(-1)).toMatchObject({ httpStatus: 200 });
    expect(result.sweep?.levels.map((l) => l.concurrency)).toEqual([1, 8]);
    expect(observed.atMeasure.length).toBeGreaterThanOrEqual(2);
    for (const seen of observed.atMeasure) expect(seen).toEqual({ current: 8, desired: 8, suspendedIn: true, suspendedOut: true, autoscalerActed: false });

    const cp = observed.endpoint?.controlPlane;
    const [target] = cp?.autoScaling.describeTargets({ ServiceNamespace: 'sagemaker' }).ScalableTargets ?? [];
    expect(target?.SuspendedState).toEqual({ DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false });
    // The only scaling activity is the scale-in before the sweep; none happened while it measured.
    const activities = cp?.autoScaling.describeActivities({ ServiceNamespace: 'sagemaker' }).ScalingActivities ?? [];
    expect(activities.map((a) => a.Description)).toEqual(['Setting desired copy count to 1.']);
    for (const level of result.sweep?.levels ?? []) expect(level.ok).toBe(level.requests);
  });

  it('a failing level still restores scaling before the partial report', async () => {
    const observed: Observed = { atMeasure: [] };
    const base = options(observed, { runId: 'ic-lifecycle-fails' });
    const result = await runOffline({
      ...base,
      beforeWorker: async (item) => {
        await base.beforeWorker?.(item);
        if (item.phase === 'measure' && item.concurrency === 8) throw new Error('injected worker crash');
      },
    });
    expect(result.succeeded).toBe(false);
    expect(result.sweep?.failure?.step).toBe('RunLevel');
    expect(observed.atMeasure[0]).toMatchObject({ current: 8, suspendedIn: true, suspendedOut: true });
    const [target] = observed.endpoint?.controlPlane.autoScaling.describeTargets({ ServiceNamespace: 'sagemaker' }).ScalableTargets ?? [];
    expect(target?.SuspendedState).toEqual({ DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false });
  });
});

describe('post-deploy sweep of a scale-to-zero deployment', () => {
  let zeroFleet: SynthesizedFleet;
  const ZERO = 'qwen2-5-7b-g5-12xlarge-ic4';
  beforeAll(() => {
    zeroFleet = synthesizePipeline(resolveFleet(loadFleetFile('fleets/examples/scale-to-zero-ic.yaml'), { region: 'us-east-1' }));
  });

  it('a component scaled to zero is primed to its planned copies before measuring: no request meets the no-capacity error', async () => {
    let endpoint: LocalEndpoint | undefined;
    const atMeasure: number[] = [];
    const result = await runOffline({
      synthesized: zeroFleet,
      deployment: ZERO,
      speedup: 60,
      lifecycle: LIFECYCLE,
      outDir: mkdtempSync(path.join(tmpdir(), 'llm-bench-zero-')),
      runId: 'zero',
      benchmark: { durationS: 20, warmupRequests: 1, concurrency: [1, 4], plateauGain: 0 },
      onLocalEndpoint: (local) => {
        endpoint = local;
        const cp = local.controlPlane;
        cp.world.onCreated.push((resourceId) => {
          if (resourceId.startsWith('inference-component/')) cp.autoScaling.scale(resourceId, COMPONENT_COPY_DIMENSION, 0, 'target tracking: no traffic');
        });
      },
      beforeWorker: (item) => {
        if (item.phase === 'measure' && item.inferenceComponentName) atMeasure.push(endpoint?.controlPlane.world.describeComponent(item.inferenceComponentName)?.currentCopies ?? -1);
      },
    });
    expect(result.error).toBeUndefined();
    const cp = endpoint?.controlPlane;
    const component = zeroFleet.fleet.deployments[0]?.inferenceComponentName ?? '';
    expect(cp?.autoScaling.describeActivities({ ServiceNamespace: 'sagemaker' }).ScalingActivities.map((a) => a.Description)).toEqual(['Setting desired copy count to 0.']);
    expect(atMeasure.length).toBeGreaterThanOrEqual(2);
    expect(new Set(atMeasure)).toEqual(new Set([4]));
    expect(cp?.world.noCapacityInvocationFailures(component)).toBe(0);
    for (const level of result.sweep?.levels ?? []) expect(level.ok).toBe(level.requests);
  });
});
