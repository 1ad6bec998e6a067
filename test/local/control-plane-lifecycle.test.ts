import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeEndpointCommand, DescribeInferenceComponentCommand, SageMakerClient, UpdateInferenceComponentRuntimeConfigCommand } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { AWS_LIKE_TIMINGS } from '../../loadtest/local/control-plane/lifecycle-timings';
import { NO_CAPACITY_MESSAGE } from '../../loadtest/local/control-plane/resources';
import { manualClock, type ManualClock } from '../../loadtest/local/control-plane/timeline';
import { COMPONENT_COPY_DIMENSION, VARIANT_INSTANCE_DIMENSION } from '../../lib/endpoint/scalable-dimensions';

/**
 * The local control plane's lifecycle, through the real SDK clients, in virtual time moved by hand
 * (AWS-like durations: minutes). Each expectation is a documented behaviour of SageMaker or
 * Application Auto Scaling (sources in loadtest/local/control-plane/).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'x' };
const T = AWS_LIKE_TIMINGS;

interface Harness {
  endpoint: LocalEndpoint;
  clock: ManualClock;
  sagemaker: SageMakerClient;
  autoScaling: ApplicationAutoScalingClient;
  runtime: SageMakerRuntimeClient;
  close(): Promise<void>;
}

async function harness(kind: 'components' | 'variant', scaleToZero = false): Promise<Harness> {
  const clock = manualClock();
  const endpoint = await startLocalEndpoint({
    model: 'llama-2-7b',
    instance: kind === 'components' ? 'ml.p4d.24xlarge' : 'ml.g5.2xlarge',
    endpointName: 'lifecycle-ep',
    ...(kind === 'components' ? { inferenceComponents: ['ic-a'], tp: 1, copies: 8 } : {}),
    speedup: 100,
    controlPlane: {
      clock: clock.now,
      lifecycle: 'aws-like',
      scalableTargets:
        kind === 'components'
          ? [{ resourceId: 'inference-component/ic-a', scalableDimension: COMPONENT_COPY_DIMENSION, minCapacity: scaleToZero ? 0 : 1, maxCapacity: 8, scaleOutFromZero: scaleToZero }]
          : [{ resourceId: 'endpoint/lifecycle-ep/variant/AllTraffic', scalableDimension: VARIANT_INSTANCE_DIMENSION, minCapacity: 1, maxCapacity: 3 }],
    },
  });
  const config = { endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
  const sagemaker = new SageMakerClient(config);
  const autoScaling = new ApplicationAutoScalingClient(config);
  const runtime = new SageMakerRuntimeClient(config);
  return {
    endpoint,
    clock,
    sagemaker,
    autoScaling,
    runtime,
    close: async () => {
      sagemaker.destroy();
      autoScaling.destroy();
      runtime.destroy();
      await endpoint.close();
    },
  };
}

const describeIc = (h: Harness) => h.sagemaker.send(new DescribeInferenceComponentCommand({ InferenceComponentName: 'ic-a' }));
const endpointStatus = async (h: Harness) => (await h.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'lifecycle-ep' }))).EndpointStatus;
const eventStatuses = (h: Harness) => h.endpoint.controlPlane.world.stateChangeEvents().map((e) => e.detail.EndpointStatus);

describe('local control plane lifecycle (real SDK clients, virtual time)', () => {
  it('endpoint InService before its component exists; the component goes Creating → InService while CurrentCopyCount ramps to DesiredCopyCount', async () => {
    const h = await harness('components');
    try {
      expect(await endpointStatus(h)).toBe('Creating');
      h.clock.advance(T.endpointCreateMs);
      expect(await endpointStatus(h)).toBe('InService');
      const missing = await describeIc(h).catch((e: unknown) => e as Error);
      expect(missing).toMatchObject({ name: 'ValidationException', message: 'Could not find inference component "ic-a".' });

      h.clock.advance(T.componentCreateDelayMs);
      const seen: [string | undefined, number | undefined, number | undefined][] = [];
      for (let i = 0; i <= 8; i++) {
        const ic = await describeIc(h);
        seen.push([ic.InferenceComponentStatus, ic.RuntimeConfig?.CurrentCopyCount, ic.RuntimeConfig?.DesiredCopyCount]);
        h.clock.advance(T.copyPlacementMs);
      }
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n < 8 ? 'Creating' : 'InService', n, 8]));
      // CloudFormation registers the scalable target once the component exists.
      const targets = await h.autoScaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', ResourceIds: ['inference-component/ic-a'] }));
      expect(targets.ScalableTargets).toEqual([
        expect.objectContaining({
          ScalableDimension: COMPONENT_COPY_DIMENSION,
          MinCapacity: 1,
          MaxCapacity: 8,
          SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
        }),
      ]);
      expect(eventStatuses(h)).toEqual(['CREATING', 'IN_SERVICE']);
    } finally {
      await h.close();
    }
  });

  it('a scaling activity changes the copies (Updating → InService) and is listed with its start and end; SuspendedState stops it', async () => {
    const h = await harness('components');
    try {
      h.clock.advance(T.endpointCreateMs + T.componentCreateDelayMs + 8 * T.copyPlacementMs);
      expect((await describeIc(h)).InferenceComponentStatus).toBe('InService');
      const cp = h.endpoint.controlPlane;
      expect(cp.autoScaling.scale('inference-component/ic-a', COMPONENT_COPY_DIMENSION, 6, 'target tracking: ConcurrentRequestsPerCopy below target')).toBeDefined();
      expect(await describeIc(h)).toMatchObject({ InferenceComponentStatus: 'Updating', RuntimeConfig: { DesiredCopyCount: 6, CurrentCopyCount: 8 } });
      h.clock.advance(2 * T.copyPlacementMs);
      expect(await describeIc(h)).toMatchObject({ InferenceComponentStatus: 'InService', RuntimeConfig: { DesiredCopyCount: 6, CurrentCopyCount: 6 } });
      const activities = await h.autoScaling.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'sagemaker', ResourceId: 'inference-component/ic-a' }));
      expect(activities.ScalingActivities).toHaveLength(1);
      const [activity] = activities.ScalingActivities ?? [];
      expect(activity).toMatchObject({ StatusCode: 'Successful', Description: 'Setting desired copy count to 6.' });
      expect((activity?.EndTime?.getTime() ?? 0) - (activity?.StartTime?.getTime() ?? 0)).toBe(2 * T.copyPlacementMs);

      await h.autoScaling.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'sagemaker',
          ResourceId: 'inference-component/ic-a',
          ScalableDimension: COMPONENT_COPY_DIMENSION,
          SuspendedState: { DynamicScalingInSuspended: true, DynamicScalingOutSuspended: true },
        }),
      );
      expect(cp.autoScaling.scale('inference-component/ic-a', COMPONENT_COPY_DIMENSION, 8, 'target tracking')).toBeUndefined();
      expect(cp.autoScaling.scale('inference-component/ic-a', COMPONENT_COPY_DIMENSION, 1, 'target tracking')).toBeUndefined();
      // The policy's bounds and the other flag are kept when only SuspendedState is given.
      const [target] = (await h.autoScaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker' }))).ScalableTargets ?? [];
      expect(target).toMatchObject({ MinCapacity: 1, MaxCapacity: 8, SuspendedState: { DynamicScalingInSuspended: true, DynamicScalingOutSuspended: true, ScheduledScalingSuspended: false } });
      expect((await describeIc(h)).RuntimeConfig?.DesiredCopyCount).toBe(6);
    } finally {
      await h.close();
    }
  });

  it('instance autoscaling: Updating → InService with IN_SERVICE published again; a failed update goes RollingBack → InService', async () => {
    const h = await harness('variant');
    try {
      h.clock.advance(T.endpointCreateMs);
      const cp = h.endpoint.controlPlane;
      cp.autoScaling.scale('endpoint/lifecycle-ep/variant/AllTraffic', VARIANT_INSTANCE_DIMENSION, 2, 'target tracking');
      expect(await endpointStatus(h)).toBe('Updating');
      h.clock.advance(T.endpointUpdateMs);
      expect(await endpointStatus(h)).toBe('InService');
      expect(eventStatuses(h)).toEqual(['CREATING', 'IN_SERVICE', 'UPDATING', 'IN_SERVICE']);
      const events = cp.world.stateChangeEvents();
      // Same endpoint configuration, a new LastModifiedTime.
      expect(events[3]?.detail.EndpointConfigName).toBe(events[1]?.detail.EndpointConfigName);
      expect(events[3]?.detail.LastModifiedTime).toBeGreaterThan(events[1]?.detail.LastModifiedTime ?? Infinity);

      cp.world.rollBackNextUpdates(1);
      cp.autoScaling.scale('endpoint/lifecycle-ep/variant/AllTraffic', VARIANT_INSTANCE_DIMENSION, 3, 'target tracking');
      h.clock.advance(T.endpointUpdateMs);
      expect(await endpointStatus(h)).toBe('RollingBack');
      h.clock.advance(T.rollbackMs);
      const back = await h.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'lifecycle-ep' }));
      expect(back).toMatchObject({ EndpointStatus: 'InService', ProductionVariants: [expect.objectContaining({ CurrentInstanceCount: 2, DesiredInstanceCount: 2 })] });
      expect(eventStatuses(h).slice(4)).toEqual(['UPDATING', 'ROLLING_BACK', 'IN_SERVICE']);
    } finally {
      await h.close();
    }
  });

  it('scale to zero: with 0 copies an invocation fails with SageMaker\'s ValidationError and counts a NoCapacityInvocationFailure; the scale-out-from-zero policy adds a copy', async () => {
    const h = await harness('components', true);
    try {
      h.clock.advance(T.endpointCreateMs + T.componentCreateDelayMs + 8 * T.copyPlacementMs);
      const cp = h.endpoint.controlPlane;
      cp.autoScaling.scale('inference-component/ic-a', COMPONENT_COPY_DIMENSION, 0, 'target tracking: no traffic');
      h.clock.advance(8 * T.copyPlacementMs);
      expect((await describeIc(h)).RuntimeConfig).toEqual({ DesiredCopyCount: 0, CurrentCopyCount: 0 });
      const invoke = () =>
        h.runtime.send(
          new InvokeEndpointCommand({ EndpointName: 'lifecycle-ep', InferenceComponentName: 'ic-a', ContentType: 'application/json', Body: JSON.stringify({ inputs: 'hi', parameters: { max_new_tokens: 2 } }) }),
        );
      const refused = await invoke().catch((e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } });
      expect(refused).toMatchObject({ name: 'ValidationError', message: NO_CAPACITY_MESSAGE });
      expect(refused.$metadata?.httpStatusCode).toBe(400);
      expect(cp.world.noCapacityInvocationFailures('ic-a')).toBe(1);
      h.clock.advance(T.scaleOutFromZeroMs);
      expect((await describeIc(h)).RuntimeConfig).toEqual({ DesiredCopyCount: 1, CurrentCopyCount: 0 });
      h.clock.advance(T.copyPlacementMs);
      expect((await describeIc(h)).RuntimeConfig).toEqual({ DesiredCopyCount: 1, CurrentCopyCount: 1 });
      const answered = await invoke();
      expect(answered.$metadata.httpStatusCode).toBe(200);
      // UpdateInferenceComponentRuntimeConfig sets the copies directly (what SageMaker's message advises).
      await h.sagemaker.send(new UpdateInferenceComponentRuntimeConfigCommand({ InferenceComponentName: 'ic-a', DesiredRuntimeConfig: { CopyCount: 4 } }));
      h.clock.advance(3 * T.copyPlacementMs);
      expect((await describeIc(h)).RuntimeConfig).toEqual({ DesiredCopyCount: 4, CurrentCopyCount: 4 });
    } finally {
      await h.close();
    }
  });
});
