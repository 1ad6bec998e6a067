import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getModel } from '../../lib/catalog';
import { SCENARIO_STATE_NAMES } from '../../lib/benchmark/scenario-path';
import { loadFleetFile } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import { SCENARIO_RESULT_VERSION, type ScenarioResult } from '../../lib/results/scenario';
import { weightsGB } from '../../lib/planner/capacity-timing';
import { allStates } from '../../loadtest/offline/definition';
import { runScenarioPipelineOffline } from '../../loadtest/offline/run-scenario-offline';
import { synthesizePipeline, type SynthesizedFleet } from '../../loadtest/offline/synth';
import { latestScenarioKey, scenarioKeys } from '../../loadtest/pipeline/layout';
import { LocalFolderStore } from '../../loadtest/pipeline/local-store';
import { decodeJsonl } from '../../loadtest/records/jsonl';

// The synthesized state machine's scenario path, executed locally (aws-local-stepfunctions) with every
// task bound to its real handler running as its function's role (the IAM judge decides each call),
// against the deployment's autoscaling twin (policies from its synthesized template).
jest.setTimeout(120_000);

const synth = (file: string): SynthesizedFleet => synthesizePipeline(resolveFleet(loadFleetFile(file), { region: 'us-east-1' }));

/** A request on the scenario clock, by stream. */
interface Span {
  readonly stream: number;
  readonly sentS: number;
  readonly endS: number;
}

/** Every SageMaker / Application Auto Scaling call the pipeline made, and none denied. */
function expectJudgedCalls(iam: Awaited<ReturnType<typeof runScenarioPipelineOffline>>['iam'], expected: readonly string[]): void {
  expect(iam.filter((c) => !c.allowed)).toEqual([]);
  const actions = new Set(iam.map((c) => c.action));
  for (const action of expected) expect(actions).toContain(action);
}

describe('the state machine of a fleet with scenarios', () => {
  const fleet = synth('fleets/examples/scale-to-zero-ic.yaml');
  const schedules = Object.values(fleet.template.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');

  it('has one schedule per scheduled scenario entry, whose input selects the scenario', () => {
    // The fleet schedules its scale-from-zero weekly; its sweep and ramp run on demand.
    expect(schedules.map((s) => (s.Properties?.Target as { Input: string }).Input)).toEqual([
      JSON.stringify({ deploymentId: 'qwen2-5-7b-g5-12xlarge-ic4', scenario: 'scale-from-zero', trigger: 'schedule' }),
    ]);
    expect(schedules[0]?.Properties?.ScheduleExpression).toBe('cron(0 7 ? * MON *)');
    expect(schedules[0]?.Properties?.ScheduleExpressionTimezone).toBe('UTC');
  });

  it('routes a scenario input to its path, which never pins the layout (scaling stays enabled)', () => {
    const machine = Object.values(fleet.template.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine' && JSON.stringify(r.Properties?.DefinitionString).includes('SelectDeployment'));
    const text = JSON.stringify(machine?.Properties?.DefinitionString);
    for (const name of Object.values(SCENARIO_STATE_NAMES)) expect(text).toContain(name);
    // Two windows in flight (the next one's workers wait for its start); each window's workers run at once beside its sampler.
    expect(text).toMatch(/\\"ScenarioWindows\\":\{[^]*?\\"MaxConcurrency\\":2/);
  });
});

describe('a ramp through the synthesized state machine (llama-2-7b-p4d-ic-8x-tp1, target tracking 16 per copy)', () => {
  const fleet = synth('fleets/published-study.yaml');
  // Known parameters: a copy loads in 20 s + 13.5 GB / 1 GB/s + 13.5 GB / 2 GB/s.
  const capacity = { containerStartS: 20, downloadGBps: 1, loadToGpuGBps: 2 };
  let run: Awaited<ReturnType<typeof runScenarioPipelineOffline>>;
  let out: string;
  beforeAll(async () => {
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'pipeline-ramp-'));
    run = await runScenarioPipelineOffline({
      deployment: 'llama-2-7b-p4d-ic-8x-tp1',
      scenario: 'ramp',
      synthesized: fleet,
      outDir: out,
      // 20×: the twin's metric is the engines' requests in flight, which a starved client (the suite runs
      // four workers on two cores) under-fills at higher compression.
      speedup: 20,
      runId: 'ramp-test',
      capacity,
      // Shorter than the fleet's ramp; 360 s span two windows of 240 s.
      overrides: { from: 1, to: 64, overS: 60, holdS: 300, fallS: 0 },
    });
  });

  it('writes scenario.json in the store with copies added and timeToFirstAddedCapacityS = the modelled load time after the trigger', async () => {
    expect(run.error).toBeUndefined();
    const result = run.result as ScenarioResult;
    const f = result.figures;
    const gb = weightsGB(getModel('llama-2-7b'));
    const loadS = capacity.containerStartS + gb / capacity.downloadGBps + gb / capacity.loadToGpuGBps;
    expect(run.twin.copyLoadMs / 1000).toBeCloseTo(loadS, 2);
    expect(result.schemaVersion).toBe(SCENARIO_RESULT_VERSION);
    expect(result.spec).toMatchObject({ kind: 'ramp', from: 1, to: 64, overS: 60, holdS: 300 });
    // Two windows of 240 s: the scenario's schedule crossed a window boundary and the series is continuous.
    expect(result.samples.length).toBeGreaterThanOrEqual(360 / result.spec.sampleS);
    expect(result.samples.map((s) => s.tS).slice(0, 72)).toEqual(Array.from({ length: 72 }, (_, k) => k * 5));
    // Target tracking added copies (DescribeScalingActivities through the judged Application Auto Scaling client).
    const outs = result.activities.filter((a) => a.cause.includes('AlarmHigh'));
    expect(outs.length).toBeGreaterThan(0);
    expect(f.startCapacity).toBe(1);
    expect(f.peakCapacity).toBeGreaterThan(1);
    // No SLO: the origin is the trigger, and the first copy is in service one modelled load time later
    // (exact to LastModifiedTime, or at the next reading when it falls outside the two that saw it).
    expect(f.triggerAtS).toBeDefined();
    expect(f.timeToFirstAddedCapacityS as number).toBeGreaterThanOrEqual(loadS - 0.5);
    expect(f.timeToFirstAddedCapacityS as number).toBeLessThanOrEqual(loadS + result.spec.sampleS + 1);
    // The policy's alarm needs 3 datapoints (10 s means) over the target, 16 per copy: the load passes 16 at
    // 15 / 63 of the 60 s rise, a rising load's 10 s mean passes it 5 s later, and two more datapoints follow.
    expect(f.triggerAtS as number).toBeGreaterThanOrEqual((60 * 15) / 63 + 5 + 20 - 1);
    // A second scale-out waits for the first's capacity (its cooldown counts it): each activity ends after its copies load.
    let copies = 1;
    for (const a of outs.filter((x) => x.endS !== undefined)) {
      expect((a.endS as number) - a.startS).toBeCloseTo(loadS * ((a.toCapacity as number) - copies), 0);
      copies = a.toCapacity as number;
    }
    expect(f.failedByKind).toEqual({});
    expect(f.costUsd).toBeCloseTo((result.hourlyUsd * result.durationS) / 3600, 2);
    expect(result.policy).toEqual({ minCapacity: 1, maxCapacity: 8 });
  });

  it('keeps the records of every window and worker, the readings, the report and the latest pointer in the store', async () => {
    const store = new LocalFolderStore(out);
    const keys = scenarioKeys('llama-2-7b-p4d-ic-8x-tp1', 'ramp-test');
    expect((await store.list(keys.recordsPrefix)).sort()).toEqual([keys.records(0, 0), keys.records(1, 0)]);
    expect((await store.list(keys.readingsPrefix)).sort()).toEqual([keys.readings(0), keys.readings(1)]);
    // Each stream hands over at the window boundary: window 1's streams start as window 0's finish, and
    // at no moment are more requests in flight than the schedule offers (64).
    const start = Date.parse(run.result?.startedAt as string);
    const toS = (epochMs: number): number => ((epochMs - start) / 1000) * 20;
    const windows = await Promise.all([0, 1].map(async (w) => decodeJsonl((await store.getBytes(keys.records(w, 0))) as Uint8Array)));
    const [first, second] = windows.map((records) => records.map((r) => ({ stream: r.worker, sentS: toS(r.clockOriginMs + r.sentMs), endS: toS(r.clockOriginMs + r.endMs) }))) as [Span[], Span[]];
    // No request starts after its window's end (recorded sends lag the decision by a few ms of wall time).
    expect(Math.max(...first.map((r) => r.sentS))).toBeLessThan(240 + 0.5);
    expect(Math.min(...second.map((r) => r.sentS))).toBeGreaterThanOrEqual(240);
    // Per stream: window 1's first request follows window 0's last one, without overlap and (median) within
    // 10 s of the 240 s window (the hand-off polls every 0.5 s of endpoint time; a loaded CI box adds its lag × 20).
    const gaps = Array.from({ length: 64 }, (_, i) => Math.min(...second.filter((r) => r.stream === i).map((r) => r.sentS)) - Math.max(...first.filter((r) => r.stream === i).map((r) => r.endS)));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(-1e-6);
    expect([...gaps].sort((a, b) => a - b)[32]).toBeLessThan(10);
    const events = [...first, ...second].flatMap((r) => [[r.sentS, 1], [r.endS, -1]] as [number, number][]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let inFlight = 0;
    let most = 0;
    for (const [, delta] of events) most = Math.max(most, (inFlight += delta));
    expect(most).toBe(64);
    expect(await store.list(keys.handoffPrefix(0))).toHaveLength(64);
    expect(await fs.readFile(run.files.svg, 'utf8')).toContain('copies in service');
    expect((await fs.readFile(run.files.csv, 'utf8')).split('\n')[0]).toMatch(/^tS,offeredConcurrency,/);
    const pointer = await store.getJson<{ runId: string; figures: ScenarioResult['figures'] }>(latestScenarioKey('llama-2-7b-p4d-ic-8x-tp1', 'ramp'));
    expect(pointer?.runId).toBe('ramp-test');
    expect(pointer?.figures).toEqual(run.result?.figures);
    // The fleet report (rebuilt by the state machine after the scenario) shows the figures.
    const report = JSON.parse(await fs.readFile(path.join(out, 'latest', 'published-study', 'fleet-report.json'), 'utf8')) as { scenarios: { deploymentId: string; kind: string; figures: unknown }[] };
    expect(report.scenarios).toEqual([expect.objectContaining({ deploymentId: 'llama-2-7b-p4d-ic-8x-tp1', kind: 'ramp', figures: run.result?.figures })]);
    expect(await fs.readFile(path.join(out, 'latest', 'published-study', 'fleet-report.md'), 'utf8')).toContain('## Autoscaling scenarios');
    // The EMF document of the figures.
    const emf = JSON.parse((await fs.readFile(run.emfPath, 'utf8')).trim()) as Record<string, unknown>;
    expect(emf).toMatchObject({ Deployment: 'llama-2-7b-p4d-ic-8x-tp1', Scenario: 'ramp', TimeToFirstAddedCapacityS: run.result?.figures.timeToFirstAddedCapacityS });
  });

  it('made every call as the functions’ roles, all allowed by their synthesized policies', () => {
    expectJudgedCalls(run.iam, [
      'application-autoscaling:DescribeScalableTargets',
      'application-autoscaling:DescribeScalingActivities',
      'sagemaker:DescribeInferenceComponent',
      'sagemaker:DescribeEndpoint',
      'sagemaker:InvokeEndpoint',
      's3:PutObject',
    ]);
    // Scaling was never suspended on the scenario path.
    expect(run.iam.map((c) => c.action)).not.toContain('application-autoscaling:RegisterScalableTarget');
  });

  it("joins the endpoint's CloudWatch metrics per window and over time, read by the finish step's role", async () => {
    const result = run.result as ScenarioResult;
    const server = result.server;
    // GetMetricData through the real client as the finish role (the merge-level role reads a sweep's), allowed by its policy.
    const reads = run.iam.filter((c) => c.action === 'cloudwatch:GetMetricData');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((c) => c.allowed && /ScenarioFinish/.test(c.role))).toBe(true);
    // The twin publishes at once: one read, complete.
    expect(server?.publication).toMatchObject({ complete: true, reads: 1 });
    // One block per scenario window (240 s each), joined from the same read.
    expect(server?.windows?.map((w) => [w.index, w.fromS, w.toS])).toEqual([
      [0, 0, 240],
      [1, 240, 360],
    ]);
    // Every request the client completed reached a copy: CloudWatch's Invocations over the run's periods count them all.
    expect(server?.series.reduce((sum, p) => sum + (p.invocations ?? 0), 0)).toBe(result.figures.requests);
    // Copies were added: the highest concurrency per copy stays near the policy's target of 16 once they serve, and every sample has the endpoint's figures.
    expect(result.samples.every((x) => x.gpuUtilizationPct !== undefined && x.gpuUtilizationPct >= 0 && x.gpuUtilizationPct <= 100)).toBe(true);
    expect(result.samples.every((x) => x.concurrentRequestsPerCopy !== undefined)).toBe(true);
    expect(Math.max(...result.samples.map((x) => x.gpuUtilizationPct ?? 0))).toBeGreaterThan(50);
    const csv = (await fs.readFile(run.files.csv, 'utf8')).split('\n');
    expect(csv[0]).toMatch(/,gpuUtilizationPct,modelLatencyMs,overheadLatencyMs,concurrentRequestsPerCopy$/);
    expect(await fs.readFile(run.files.markdown, 'utf8')).toContain('| window 1 (240–360 s) |');
    expect(await fs.readFile(run.files.svg, 'utf8')).toContain('GPU utilization');
  });

  it('refuses a scenario the deployment does not declare, naming the allowed ones', async () => {
    await expect(runScenarioPipelineOffline({ deployment: 'llama-2-7b-p4d-ic-8x-tp1', scenario: 'spike', synthesized: fleet, outDir: out })).rejects.toThrow(
      "--scenario: deployment llama-2-7b-p4d-ic-8x-tp1 declares no 'spike' scenario; allowed: ramp",
    );
  });
});

describe('scale-from-zero through the synthesized state machine (fleets/examples/scale-to-zero-ic.yaml)', () => {
  it('sets the component to 0 copies, then reports the cold start and the no-capacity failures the alarm and step policy answer', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'pipeline-zero-'));
    const run = await runScenarioPipelineOffline({
      deployment: 'qwen2-5-7b-g5-12xlarge-ic4',
      scenario: 'scale-from-zero',
      synthesized: synth('fleets/examples/scale-to-zero-ic.yaml'),
      outDir: out,
      speedup: 25,
      runId: 'zero-test',
      overrides: { from: 1, to: 4, overS: 30, holdS: 90, idleS: 5 },
    });
    expect(run.error).toBeUndefined();
    const result = run.result as ScenarioResult;
    const f = result.figures;
    const loadS = run.twin.copyLoadMs / 1000;
    // The alarm of the synthesized template: NoCapacityInvocationFailures, 30 s period, 1 datapoint.
    const alarm = run.twin.policies.find((p) => p.stepScaleOut)?.stepScaleOut?.alarm;
    expect(alarm).toMatchObject({ periodS: 30, datapointsToAlarm: 1 });
    expect(f.startCapacity).toBe(0);
    expect(result.samples[0]?.copiesInService).toBe(0);
    // SageMaker's no-capacity ValidationError, seen by the client as its own kind; nothing else failed.
    expect(f.noCapacityFailures).toBeGreaterThan(0);
    expect(f.failedByKind).toEqual({ no_capacity: f.noCapacityFailures });
    expect(result.activities[0]?.cause).toContain('NoCapacityInvocationFailures');
    expect(result.activities[0]?.toCapacity).toBe(1);
    // Cold start ≥ the alarm period + one copy load; at most that plus a back-off and one request (generous on a loaded machine).
    expect(f.coldStartS as number).toBeGreaterThanOrEqual(30 + loadS - 1);
    expect(f.coldStartS as number).toBeLessThan(30 + loadS + result.spec.retryBackoffS + 30);
    expect(f.ok).toBeGreaterThan(0);
    expect(run.result?.figures).toEqual((JSON.parse(await fs.readFile(run.files.json, 'utf8')) as ScenarioResult).figures);
    expectJudgedCalls(run.iam, ['sagemaker:UpdateInferenceComponentRuntimeConfig', 'application-autoscaling:DescribeScalingActivities']);
  });
});

describe('offline harness', () => {
  it('binds the tasks inside Parallel branches (the scenario windows) too', () => {
    const definition = { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'T', States: { T: { Type: 'Task', End: true } } }], End: true } } };
    expect(allStates(definition).map(([name]) => name)).toEqual(['P', 'T']);
  });
});
