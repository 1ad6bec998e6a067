import { getModel } from '../../lib/catalog';
import { offeredRequestsUntil, scenarioSpec } from '../../lib/results/scenario-schedule';
import { instanceAddMs, resolveCapacityTiming } from '../../lib/planner/capacity-timing';
import { renderScenarioFiles } from '../../loadtest/scenario/report';
import { runTwinScenario } from '../../loadtest/scenario/run-twin-scenario';

// Open-loop rate scenarios and instance-autoscaled variants against the autoscaling twin: policies from
// the synthesized templates, load through the SageMaker runtime client, capacity through the SageMaker
// and Application Auto Scaling clients pointed at the twin's control plane.
jest.setTimeout(120_000);

describe('a rate ramp on llama-2-7b-p4d-ic-8x-tp1 (target tracking, 16 concurrent requests per copy)', () => {
  it('offers the scheduled rate whatever the endpoint does, and target tracking adds copies', async () => {
    const spec = scenarioSpec('ramp', { load: 'rate', from: 0.5, to: 8, overS: 60, holdS: 90, fallS: 0, seed: 3 });
    const result = await runTwinScenario({ deployment: 'llama-2-7b-p4d-ic-8x-tp1', spec, speedup: 12 });
    const f = result.figures;
    // The rate sent follows the schedule: per 30 s, within 4 Poisson standard deviations (+ 2 for a late timer at the edge).
    for (let t = 0; t + 30 <= 150; t += 30) {
      const expected = offeredRequestsUntil(spec, t + 30) - offeredRequestsUntil(spec, t);
      const sent = result.samples.filter((s) => s.tS >= t && s.tS < t + 30).reduce((sum, s) => sum + (s.sentRatePerS ?? 0) * spec.sampleS, 0);
      expect(Math.abs(sent - expected)).toBeLessThan(4 * Math.sqrt(expected) + 2);
    }
    // The series shows the offered rate (the schedule's mean over each sample) beside the achieved one.
    expect(result.samples[0]?.offeredRatePerS).toBeCloseTo(0.5 + (7.5 * 2.5) / 60, 6);
    expect(result.samples.at(-1)?.offeredRatePerS).toBeCloseTo(8, 6);
    expect(result.samples.every((s) => s.offeredConcurrency === 0 && s.achievedRatePerS !== undefined)).toBe(true);
    const held = result.samples.filter((s) => s.tS >= 120);
    expect(held.reduce((a, s) => a + (s.achievedRatePerS ?? 0), 0) / held.length).toBeGreaterThan(8 * 0.7);
    expect(f.requests).toBeGreaterThan(offeredRequestsUntil(spec, 150) * 0.85);
    // Little's law: ≈ 8/s × seconds per request in flight is over the 16 per copy target, so target tracking added copies.
    expect(result.activities.some((a) => a.cause.includes('AlarmHigh'))).toBe(true);
    expect(f.peakCapacity).toBeGreaterThan(f.startCapacity);
    const files = await renderScenarioFiles(result);
    expect(files.svg).toContain('offered requests/s');
    expect(files.svg).toContain('achieved requests/s');
    expect(files.csv.split('\n')[0]).toMatch(/,offeredRatePerS,sentRatePerS,achievedRatePerS,gpuUtilizationPct,/);
    expect(files.markdown).toContain('open-loop rate (poisson arrivals, seed 3) 0.5 → 8 requests/s');
  });
});

describe('a ramp on an instance-autoscaled variant (fleets/examples/llama-3-1-8b-g6e.yaml: 1–2 instances, 24 concurrent requests per model)', () => {
  it('adds an instance in service one modelled provisioning + model load after the trigger', async () => {
    const capacity = { instanceProvisionS: 60, containerStartS: 20, downloadGBps: 1, loadToGpuGBps: 2 };
    const addS = instanceAddMs(getModel('llama-3-1-8b'), resolveCapacityTiming(capacity)) / 1000;
    const spec = scenarioSpec('ramp', { from: 1, to: 48, overS: 60, holdS: 180, fallS: 0 });
    const result = await runTwinScenario({ deployment: 'llama-3-1-8b-g6e-xlarge-tp1', fleetPath: 'fleets/examples/llama-3-1-8b-g6e.yaml', spec, speedup: 25, capacity });
    const f = result.figures;
    expect(result.capacityModel?.instanceAddS).toBeCloseTo(addS, 6);
    // 60 s + 20 s + 16 GB / 1 GB/s + 16 GB / 2 GB/s
    expect(addS).toBeGreaterThan(100);
    expect(result.capacityUnit).toBe('instances');
    expect(result.policy).toMatchObject({ metricType: 'SageMakerVariantConcurrentRequestsPerModelHighResolution', targetValue: 24, minCapacity: 1, maxCapacity: 2, scaleOutCooldownS: 60 });
    // Target tracking on the variant's DesiredInstanceCount asked for a second instance: one activity, in service one add time later.
    const outs = result.activities.filter((a) => a.cause.includes('AlarmHigh'));
    expect(outs.map((a) => [a.description, a.statusCode])).toEqual([['Setting desired instance count to 2.', 'Successful']]);
    expect((outs[0]?.endS as number) - (outs[0]?.startS as number)).toBeCloseTo(addS, 1);
    expect(f.startCapacity).toBe(1);
    expect(f.peakCapacity).toBe(2);
    // Capacity from DescribeEndpoint CurrentInstanceCount, timed by the endpoint's LastModifiedTime.
    const firstAdded = (f.firstAddedCapacityAtS as number) - (f.triggerAtS as number);
    expect(firstAdded).toBeGreaterThanOrEqual(addS - 0.5);
    expect(firstAdded).toBeLessThanOrEqual(addS + spec.sampleS + 1);
    expect(f.timeToFirstAddedCapacityS as number).toBeGreaterThanOrEqual(addS - 0.5);
    // The alarm needs 3 datapoints of 10 s above 24 per instance: the load passes 24 no sooner than 23 / 47 of the rise.
    expect(f.triggerAtS as number).toBeGreaterThanOrEqual((60 * 23) / 47);
    expect(result.samples.map((s) => s.instancesInService)).toContain(2);
    expect(result.samples.every((s) => s.copiesInService === undefined)).toBe(true);
    // Instance-hours: one instance until the second is in service, then two.
    const expectedHours = (1 * (f.firstAddedCapacityAtS as number) + 2 * (result.durationS - (f.firstAddedCapacityAtS as number))) / 3600;
    expect(f.instanceHours).toBeCloseTo(expectedHours, 2);
    const files = await renderScenarioFiles(result);
    expect(files.svg).toContain('instances in service');
  });
});
