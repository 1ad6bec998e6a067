import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCENARIO_RESULT_VERSION } from '../../lib/results/scenario';
import { writeScenarioFiles } from '../../loadtest/scenario/report';
import { runTwinScenario } from '../../loadtest/scenario/run-twin-scenario';
import { scenarioSpec } from '../../lib/results/scenario-schedule';

// End to end against the autoscaling twin: policies from the synthesized templates, load through the
// SageMaker runtime client, capacity through @aws-sdk/client-sagemaker and
// @aws-sdk/client-application-auto-scaling pointed at the twin's control plane.
jest.setTimeout(120_000);

describe('ramp on llama-2-7b-p4d-ic-8x-tp1 (target tracking, 16 concurrent requests per copy)', () => {
  it('adds copies by target tracking; the first one is in service one modelled load time after the trigger', async () => {
    // 64 at the top (4 copies' worth): the trigger needs the engines' requests in flight over 16 per copy, which a
    // starved client (the suite runs four workers on two cores) under-fills.
    const spec = scenarioSpec('ramp', { from: 1, to: 64, overS: 60, holdS: 150, fallS: 0 });
    const result = await runTwinScenario({ deployment: 'llama-2-7b-p4d-ic-8x-tp1', spec, speedup: 25 });
    const f = result.figures;
    const loadS = result.capacityModel?.copyLoadS as number;
    expect(result.schemaVersion).toBe(SCENARIO_RESULT_VERSION);
    expect(loadS).toBeCloseTo(55.99, 1);
    // Read through DescribeScalingActivities: target tracking's AlarmHigh asked for more copies.
    const outs = result.activities.filter((a) => a.cause.includes('AlarmHigh'));
    expect(outs.length).toBeGreaterThan(0);
    expect(outs[0]?.toCapacity).toBeGreaterThan(1);
    expect(f.startCapacity).toBe(1);
    expect(f.peakCapacity).toBeGreaterThan(1);
    // Each scale-out activity ends once its copies are placed, one modelled load time per copy (DescribeScalingActivities).
    let copies = 1;
    for (const a of outs.filter((x) => x.endS !== undefined)) {
      expect((a.endS as number) - a.startS).toBeCloseTo(loadS * ((a.toCapacity as number) - copies), 1);
      copies = a.toCapacity as number;
    }
    // The first copy is in service one load time after the policy fired: exact when DescribeInferenceComponent's
    // LastModifiedTime falls between the two readings that saw it, else at the later reading (≤ one sample late).
    const firstAdded = (f.firstAddedCapacityAtS as number) - (f.triggerAtS as number);
    expect(firstAdded).toBeGreaterThanOrEqual(loadS - 0.5);
    expect(firstAdded).toBeLessThanOrEqual(loadS + spec.sampleS + 1);
    // The alarm needs 3 datapoints of 10 s above the target; the load passes 16 per copy no sooner than 16 / 48 of the ramp.
    expect(f.triggerAtS as number).toBeGreaterThanOrEqual(30);
    // The figure counts from the first SLO breach or trigger, so it is at least the load time.
    expect(f.timeToFirstAddedCapacityS as number).toBeGreaterThanOrEqual(loadS - 0.5);
    expect(f.timeToFullCapacityS as number).toBeGreaterThanOrEqual(f.timeToFirstAddedCapacityS as number);
    // The time series carries capacity in service from DescribeInferenceComponent.
    expect(result.samples[0]?.copiesInService).toBe(1);
    expect(Math.max(...result.samples.map((s) => s.copiesInService ?? 0))).toBe(f.peakCapacity);
    expect(result.samples.every((s) => s.instancesInService === 1)).toBe(true);
    // $ = 1 instance × the scenario's duration × the p4d.24xlarge price.
    expect(f.costUsd).toBeCloseTo((result.hourlyUsd * result.durationS) / 3600, 2);

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'scenario-'));
    const files = await writeScenarioFiles(dir, result);
    const stored = JSON.parse(await fs.readFile(files.json, 'utf8')) as typeof result;
    expect(stored.figures).toEqual(result.figures);
    const svg = await fs.readFile(files.svg, 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('copies in service');
    expect(await fs.readFile(files.markdown, 'utf8')).toContain('| timeToFirstAddedCapacityS |');
  });
});

describe('scale-from-zero on fleets/examples/scale-to-zero-ic.yaml', () => {
  it('reports the cold start and the requests refused for no capacity until the alarm and step policy add a copy', async () => {
    const spec = scenarioSpec('scale-from-zero', { from: 1, to: 4, overS: 30, holdS: 90, idleS: 5 });
    const result = await runTwinScenario({ deployment: 'qwen2-5-7b-g5-12xlarge-ic4', fleetPath: 'fleets/examples/scale-to-zero-ic.yaml', spec, speedup: 25 });
    const f = result.figures;
    const loadS = result.capacityModel?.copyLoadS as number;
    expect(f.startCapacity).toBe(0);
    // The client saw SageMaker's no-capacity ValidationError as its own kind, and nothing else failed.
    expect(f.noCapacityFailures).toBeGreaterThan(0);
    expect(f.failedByKind).toEqual({ no_capacity: f.noCapacityFailures });
    // The step policy, invoked by the NoCapacityInvocationFailures alarm, set 1 copy.
    const first = result.activities[0];
    expect(first?.cause).toContain('NoCapacityInvocationFailures');
    expect(first?.toCapacity).toBe(1);
    // Cold start: at least the alarm's 30 s period plus one copy load; at most that plus a client back-off and
    // one request's latency (≈ 4 s for 128 tokens; 30 s allowed for a loaded machine at 25× compression).
    expect(f.coldStartS as number).toBeGreaterThanOrEqual(30 + loadS - 1);
    expect(f.coldStartS as number).toBeLessThan(30 + loadS + spec.retryBackoffS + 30);
    expect(f.ok).toBeGreaterThan(0);
  });
});
