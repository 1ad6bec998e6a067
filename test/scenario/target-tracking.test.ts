import { COMPONENT_COPY_DIMENSION } from '../../lib/endpoint/scalable-dimensions';
import { copyLoadMs, DEFAULT_CAPACITY_TIMING, weightsGB } from '../../lib/planner/capacity-timing';
import type { TemplateScaling } from '../../loadtest/local/control-plane/scaling-policies';
import { TargetTracker } from '../../loadtest/local/control-plane/target-tracking';
import { manualClock } from '../../loadtest/local/control-plane/timeline';
import { createControlPlane } from '../../loadtest/local/sagemaker-control-plane';
import { getModel } from '../../lib/catalog';
import { synthesizeDeploymentScaling } from '../../loadtest/scenario/scaling-twin';

const COMPONENT = 'ic';
const LOAD_MS = 50_000;

/** A control plane on a manual clock with the given policy; the load is set by the test. */
function setup(policy: TemplateScaling, startCopies = 1) {
  const clock = manualClock();
  const plane = createControlPlane({
    endpointName: 'ep',
    instanceType: 'ml.p4d.24xlarge',
    instances: 1,
    components: [{ name: COMPONENT, copies: startCopies, gpus: 1 }],
    creatingDescribeCalls: 0,
    settledStatus: 'InService',
    lifecycle: { endpointCreateMs: 0, componentCreateDelayMs: 0, copyPlacementMs: LOAD_MS, endpointUpdateMs: 0, rollbackMs: 0, scaleOutFromZeroMs: 30_000 },
    scalableTargets: [{ resourceId: policy.resourceId, scalableDimension: policy.scalableDimension, minCapacity: policy.minCapacity, maxCapacity: policy.maxCapacity }],
    clock: clock.now,
  });
  // The first copy is placed at creation (copyPlacementMs after it).
  clock.advance(LOAD_MS * startCopies);
  expect(plane.world.describeComponent(COMPONENT)?.currentCopies).toBe(startCopies);
  let inFlight = 0;
  const tracker = new TargetTracker(plane.autoScaling, plane.world, policy, { inFlight: () => inFlight });
  /** Moves the clock 1 s at a time for `seconds`, polling every second. */
  const run = (seconds: number): void => {
    for (let i = 0; i < seconds; i++) {
      clock.advance(1000);
      tracker.poll();
    }
  };
  const activities = () => plane.autoScaling.describeActivities({ ServiceNamespace: 'sagemaker' }).ScalingActivities.reverse();
  return { clock, plane, tracker, run, setLoad: (n: number) => (inFlight = n), activities, copies: () => plane.world.describeComponent(COMPONENT) };
}

const POLICY: TemplateScaling = {
  resourceId: `inference-component/${COMPONENT}`,
  scalableDimension: COMPONENT_COPY_DIMENSION,
  minCapacity: 1,
  maxCapacity: 8,
  targetTracking: {
    policyName: 'CopyScaling',
    metricType: 'SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution',
    targetValue: 16,
    scaleOutCooldownS: 60,
    scaleInCooldownS: 300,
    disableScaleIn: false,
  },
};

describe('target tracking in the local control plane', () => {
  it('reads the policy of the published ramp deployment from its synthesized template', () => {
    const { policies } = synthesizeDeploymentScaling('fleets/published-study.yaml', 'llama-2-7b-p4d-ic-8x-tp1');
    expect(policies).toHaveLength(1);
    expect(policies[0]).toMatchObject({
      scalableDimension: COMPONENT_COPY_DIMENSION,
      minCapacity: 1,
      maxCapacity: 8,
      targetTracking: { metricType: 'SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution', targetValue: 16, scaleOutCooldownS: 60, scaleInCooldownS: 300 },
    });
    expect(policies[0]?.stepScaleOut).toBeUndefined();
  });

  it('reads the scale-to-zero fleet: MinCapacity 0 and the step policy whose alarm watches NoCapacityInvocationFailures', () => {
    const { policies } = synthesizeDeploymentScaling('fleets/examples/scale-to-zero-ic.yaml', 'qwen2-5-7b-g5-12xlarge-ic4');
    expect(policies[0]).toMatchObject({
      minCapacity: 0,
      maxCapacity: 4,
      targetTracking: { targetValue: 8, scaleInCooldownS: 600, scaleOutCooldownS: 60 },
      stepScaleOut: { adjustment: 1, cooldownS: 60, alarm: { metricName: 'NoCapacityInvocationFailures', periodS: 30, datapointsToAlarm: 1, threshold: 1 } },
    });
  });

  it('models a copy load from the weight size: container start + download + load to GPU', () => {
    const model = getModel('llama-2-7b');
    // 6.74 B parameters × 2 bytes (fp16) = 13.48 GB; 30 s + 13.48 / 0.7 + 13.48 / 2 = 55.99 s.
    expect(weightsGB(model)).toBeCloseTo(13.476, 2);
    expect(copyLoadMs(model)).toBe(Math.round((30 + weightsGB(model) / 0.7 + weightsGB(model) / 2) * 1000));
    expect(copyLoadMs(model, { ...DEFAULT_CAPACITY_TIMING, downloadGBps: 1.4 })).toBeLessThan(copyLoadMs(model));
  });

  it('holds capacity until the scale-in alarm has 15 datapoints', () => {
    const t = setup(POLICY);
    t.setLoad(40);
    t.run(30 + (2 * LOAD_MS) / 1000);
    // 40 requests on 3 copies = 13.3 per copy, under 0.9 × 16 = 14.4, but a scale-in needs 15 datapoints (150 s).
    t.run(140);
    expect(t.activities()).toHaveLength(1);
  });

  it('scales out after 3 datapoints above the target, to ceil(in flight / target), one copy per load time', () => {
    const t = setup(POLICY);
    t.setLoad(40); // 40 per copy > 16
    t.run(29);
    expect(t.activities()).toHaveLength(0); // two 10 s datapoints so far
    t.run(1); // third datapoint closes at 30 s
    const [first] = t.activities();
    expect(first).toMatchObject({ Description: 'Setting desired copy count to 3.', StatusCode: 'InProgress' });
    expect(first?.Cause).toContain('AlarmHigh');
    const triggerMs = first?.StartTime as number;
    t.run(LOAD_MS / 1000 - 1);
    expect(t.copies()?.currentCopies).toBe(1);
    t.run(1);
    expect(t.copies()?.currentCopies).toBe(2); // first added copy: exactly one load time after the trigger
    t.run(LOAD_MS / 1000);
    expect(t.copies()?.currentCopies).toBe(3);
    expect(t.activities()[0]).toMatchObject({ StatusCode: 'Successful', EndTime: triggerMs + 2 * LOAD_MS });
  });

  it('in the scale-out cooldown adds only beyond the capacity already added; scale-in waits 15 datapoints and its cooldown', () => {
    const t = setup(POLICY);
    t.setLoad(40);
    t.run(30 + (2 * LOAD_MS) / 1000); // 1 → 3 copies, done
    expect(t.copies()?.currentCopies).toBe(3);
    const firstEnd = t.activities()[0]?.EndTime as number;
    // Within the 60 s cooldown a larger desired capacity still scales out (the added capacity counts).
    t.setLoad(110); // 36.7 per copy → ceil(110 / 16) = 7; on 7 copies 15.7 per copy, inside [0.9 × 16, 16]
    t.run(30);
    expect(t.activities()).toHaveLength(2);
    expect(t.activities()[1]?.Description).toBe('Setting desired copy count to 7.');
    expect(t.activities()[1]?.StartTime as number).toBeLessThan(firstEnd + 60_000);
    t.run((4 * LOAD_MS) / 1000);
    expect(t.copies()?.currentCopies).toBe(7);
    t.run(100);
    expect(t.activities()).toHaveLength(2);
    // Load falls to 20 (2.9 per copy < 0.9 × 16): scale-in after 15 datapoints (150 s), to ceil(20 / 16) = 2.
    t.setLoad(20);
    t.run(149);
    expect(t.activities()).toHaveLength(2);
    t.run(1);
    expect(t.activities()[2]).toMatchObject({ Description: 'Setting desired copy count to 2.' });
    t.run((5 * LOAD_MS) / 1000);
    const scaleInEnd = t.activities()[2]?.EndTime as number;
    expect(scaleInEnd).toBeDefined();
    // Load falls again (2 requests on 2 copies, 1 per copy): the next scale-in waits for the 300 s cooldown.
    t.setLoad(2);
    t.run(290);
    expect(t.activities()).toHaveLength(3);
    t.run(30);
    expect(t.activities()[3]).toMatchObject({ Description: 'Setting desired copy count to 1.' });
    expect(t.activities()[3]?.StartTime as number).toBeGreaterThanOrEqual(scaleInEnd + 300_000);
  });

  it('has no data with no copy in service: target tracking never scales from zero', () => {
    const t = setup({ ...POLICY, minCapacity: 0 });
    t.plane.world.setCopyCount(COMPONENT, 0);
    t.run(LOAD_MS / 1000);
    expect(t.copies()?.currentCopies).toBe(0);
    t.setLoad(50);
    t.run(300);
    expect(t.activities()).toHaveLength(0);
    expect(t.tracker.datapoints.slice(-3).every((d) => d.value === undefined)).toBe(true);
  });
});
