import { Logger } from '@aws-lambda-powertools/logger';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createDescribeEndpointHandler } from '../../loadtest/handlers/describe-endpoint';
import { createScalingHandler } from '../../loadtest/handlers/scaling';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { AWS_LIKE_TIMINGS } from '../../loadtest/local/control-plane/lifecycle-timings';
import { manualClock, type ManualClock } from '../../loadtest/local/control-plane/timeline';
import type { DeploymentInput, EndpointStatusResult, ExecutionState, ScalingState } from '../../lib/benchmark/pipeline-state';
import { COMPONENT_COPY_DIMENSION, VARIANT_INSTANCE_DIMENSION } from '../../lib/endpoint/scalable-dimensions';
import { DEPLOYMENT } from '../pipeline/records-fixture';

/**
 * describe-endpoint and scaling (pin / restore) against the local control plane's lifecycle, real
 * SDK clients, virtual time moved by hand.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const T = AWS_LIKE_TIMINGS;
const IC: DeploymentInput = {
  ...DEPLOYMENT,
  endpointName: 'ic-ep',
  inferenceComponentName: 'ic-a',
  instanceType: 'ml.p4d.24xlarge',
  copies: 8,
  autoscaling: { kind: 'copies', scaleToZero: false },
};
const VARIANT: DeploymentInput = { ...DEPLOYMENT, endpointName: 'variant-ep', instances: 2, autoscaling: { kind: 'instances', scaleToZero: false } };

interface Harness {
  endpoint: LocalEndpoint;
  clock: ManualClock;
  describe: (state: ExecutionState) => Promise<EndpointStatusResult>;
  scaling: ReturnType<typeof createScalingHandler>;
  close(): Promise<void>;
}

async function harness(d: DeploymentInput, registerTarget = true): Promise<Harness> {
  const clock = manualClock();
  const components = d.inferenceComponentName !== undefined;
  const endpoint = await startLocalEndpoint({
    model: 'llama-2-7b',
    instance: components ? 'ml.p4d.24xlarge' : 'ml.g5.2xlarge',
    endpointName: d.endpointName,
    ...(components ? { inferenceComponents: ['ic-a'], tp: 1, copies: 8 } : { instances: 2 }),
    controlPlane: {
      clock: clock.now,
      lifecycle: 'aws-like',
      scalableTargets: !registerTarget
        ? []
        : components
          ? [{ resourceId: 'inference-component/ic-a', scalableDimension: COMPONENT_COPY_DIMENSION, minCapacity: 1, maxCapacity: 8 }]
          : [{ resourceId: `endpoint/${d.endpointName}/variant/AllTraffic`, scalableDimension: VARIANT_INSTANCE_DIMENSION, minCapacity: 1, maxCapacity: 4 }],
    },
  });
  const config = { endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 };
  const sagemaker = new SageMakerClient(config);
  const autoScaling = new ApplicationAutoScalingClient(config);
  return {
    endpoint,
    clock,
    describe: createDescribeEndpointHandler({ sagemaker, logger, maxAttempts: 100 }),
    scaling: createScalingHandler({ sagemaker, autoScaling, logger }),
    close: async () => {
      sagemaker.destroy();
      autoScaling.destroy();
      await endpoint.close();
    },
  };
}

const state = (deployment: DeploymentInput, extra: Partial<ExecutionState> = {}): ExecutionState => ({ deploymentId: deployment.id, deployment, ...extra });

describe('describe-endpoint against the AWS lifecycle', () => {
  it('an endpoint InService whose component does not exist yet is waited for, not Failed; ready once the component is InService', async () => {
    const h = await harness(IC);
    try {
      h.clock.advance(T.endpointCreateMs);
      const before = await h.describe(state(IC));
      expect(before).toMatchObject({ ready: false, failed: false, status: 'NotCreated', detail: 'waiting for inference component ic-a to be created' });
      h.clock.advance(T.componentCreateDelayMs + 3 * T.copyPlacementMs);
      expect(await h.describe(state(IC, { endpoint: before }))).toMatchObject({ ready: false, status: 'Creating', detail: 'inference component ic-a: 3 of 8 copies' });
      h.clock.advance(5 * T.copyPlacementMs);
      expect(await h.describe(state(IC))).toMatchObject({ ready: true, status: 'InService', detail: 'inference component ic-a: 8 of 8 copies' });
    } finally {
      await h.close();
    }
  });

  it('once the layout is pinned, an InService component with fewer copies than planned is waited for', async () => {
    const h = await harness(IC);
    try {
      h.clock.advance(T.endpointCreateMs + T.componentCreateDelayMs + 8 * T.copyPlacementMs);
      h.endpoint.controlPlane.autoScaling.scale('inference-component/ic-a', COMPONENT_COPY_DIMENSION, 1, 'target tracking: idle');
      h.clock.advance(7 * T.copyPlacementMs);
      const pinned: ScalingState = { targets: [], plannedCapacity: 8 };
      expect(await h.describe(state(IC))).toMatchObject({ ready: true, detail: 'inference component ic-a: 1 of 8 copies' });
      expect(await h.describe(state(IC, { scaling: pinned }))).toMatchObject({ ready: false, status: 'InService', detail: 'inference component ic-a: 1 of 8 copies' });
    } finally {
      await h.close();
    }
  });

  it('RollingBack is waited out (it returns to InService); Failed ends the wait', async () => {
    const h = await harness(VARIANT);
    try {
      h.clock.advance(T.endpointCreateMs);
      const cp = h.endpoint.controlPlane;
      cp.world.rollBackNextUpdates(1);
      cp.autoScaling.scale('endpoint/variant-ep/variant/AllTraffic', VARIANT_INSTANCE_DIMENSION, 3, 'target tracking');
      expect(await h.describe(state(VARIANT))).toMatchObject({ ready: false, status: 'Updating' });
      h.clock.advance(T.endpointUpdateMs);
      expect(await h.describe(state(VARIANT))).toMatchObject({ ready: false, failed: false, status: 'RollingBack' });
      h.clock.advance(T.rollbackMs);
      expect(await h.describe(state(VARIANT))).toMatchObject({ ready: true, status: 'InService' });
    } finally {
      await h.close();
    }
    const failed = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', endpointName: 'variant-ep', settledStatus: 'Failed' });
    const sagemaker = new SageMakerClient({ endpoint: failed.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      await expect(createDescribeEndpointHandler({ sagemaker, logger, maxAttempts: 5 })(state(VARIANT))).rejects.toThrow('endpoint variant-ep is Failed: Injected failure');
    } finally {
      sagemaker.destroy();
      await failed.close();
    }
  });
});

describe('scaling: pin the layout, restore scaling', () => {
  it('components: suspends dynamic scaling, sets the planned copies, and restore gives back the SuspendedState found', async () => {
    const h = await harness(IC);
    try {
      h.clock.advance(T.endpointCreateMs + T.componentCreateDelayMs + 8 * T.copyPlacementMs);
      const cp = h.endpoint.controlPlane;
      cp.autoScaling.scale('inference-component/ic-a', COMPONENT_COPY_DIMENSION, 2, 'target tracking: idle');
      h.clock.advance(6 * T.copyPlacementMs);
      const pinned = (await h.scaling({ action: 'pin', state: state(IC) })) as ScalingState;
      expect(pinned).toEqual({
        targets: [
          {
            resourceId: 'inference-component/ic-a',
            scalableDimension: COMPONENT_COPY_DIMENSION,
            suspendedBefore: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
          },
        ],
        plannedCapacity: 8,
        capacityBefore: 2,
      });
      const [target] = cp.autoScaling.describeTargets({ ServiceNamespace: 'sagemaker' }).ScalableTargets;
      expect(target?.SuspendedState).toEqual({ DynamicScalingInSuspended: true, DynamicScalingOutSuspended: true, ScheduledScalingSuspended: false });
      expect(cp.world.describeComponent('ic-a')).toMatchObject({ desiredCopies: 8, currentCopies: 2, status: 'Updating' });
      // The autoscaler cannot undo the layout while the sweep measures.
      h.clock.advance(6 * T.copyPlacementMs);
      expect(cp.autoScaling.scale('inference-component/ic-a', COMPONENT_COPY_DIMENSION, 1, 'target tracking')).toBeUndefined();
      expect(await h.describe(state(IC, { scaling: pinned }))).toMatchObject({ ready: true, detail: 'inference component ic-a: 8 of 8 copies' });

      expect(await h.scaling({ action: 'restore', state: state(IC, { scaling: pinned }) })).toEqual({ restored: 1 });
      expect(cp.autoScaling.describeTargets({ ServiceNamespace: 'sagemaker' }).ScalableTargets[0]?.SuspendedState).toEqual(pinned.targets[0]?.suspendedBefore);
      expect(await h.scaling({ action: 'restore', state: state(IC) })).toEqual({ restored: 0 }); // nothing pinned: nothing to do
    } finally {
      await h.close();
    }
  });

  it('variant: sets the planned instance count (Updating → InService) and keeps a SuspendedState set by someone else', async () => {
    const h = await harness(VARIANT);
    try {
      h.clock.advance(T.endpointCreateMs);
      const cp = h.endpoint.controlPlane;
      cp.autoScaling.register({ ServiceNamespace: 'sagemaker', ResourceId: 'endpoint/variant-ep/variant/AllTraffic', ScalableDimension: VARIANT_INSTANCE_DIMENSION, SuspendedState: { ScheduledScalingSuspended: true } });
      cp.autoScaling.scale('endpoint/variant-ep/variant/AllTraffic', VARIANT_INSTANCE_DIMENSION, 1, 'target tracking: idle');
      h.clock.advance(T.endpointUpdateMs);
      const pinned = (await h.scaling({ action: 'pin', state: state(VARIANT) })) as ScalingState;
      expect(pinned).toMatchObject({ plannedCapacity: 2, capacityBefore: 1 });
      expect(await h.describe(state(VARIANT, { scaling: pinned }))).toMatchObject({ ready: false, status: 'Updating' });
      h.clock.advance(T.endpointUpdateMs);
      expect(await h.describe(state(VARIANT, { scaling: pinned }))).toMatchObject({ ready: true, status: 'InService' });
      await h.scaling({ action: 'restore', state: state(VARIANT, { scaling: pinned }) });
      expect(cp.autoScaling.describeTargets({ ServiceNamespace: 'sagemaker' }).ScalableTargets[0]?.SuspendedState).toEqual({
        DynamicScalingInSuspended: false,
        DynamicScalingOutSuspended: false,
        ScheduledScalingSuspended: true,
      });
    } finally {
      await h.close();
    }
  });

  it('a scalable target not registered yet, or a component still Updating, is a retryable error; no autoscaling: nothing to pin', async () => {
    const unregistered = await harness(IC, false);
    try {
      unregistered.clock.advance(T.endpointCreateMs + T.componentCreateDelayMs + 8 * T.copyPlacementMs);
      await expect(unregistered.scaling({ action: 'pin', state: state(IC) })).rejects.toMatchObject({ name: 'ScalableTargetNotRegistered' });
      const { autoscaling: _none, ...fixed } = IC;
      expect(await unregistered.scaling({ action: 'pin', state: state(fixed) })).toEqual({ targets: [], plannedCapacity: 8 });
    } finally {
      await unregistered.close();
    }
    const busy = await harness(IC);
    try {
      busy.clock.advance(T.endpointCreateMs + T.componentCreateDelayMs + 8 * T.copyPlacementMs);
      busy.endpoint.controlPlane.autoScaling.scale('inference-component/ic-a', COMPONENT_COPY_DIMENSION, 2, 'target tracking: idle');
      await expect(busy.scaling({ action: 'pin', state: state(IC) })).rejects.toMatchObject({ name: 'LayoutBusy' });
    } finally {
      await busy.close();
    }
  });
});
