import type { ScenarioResult, ScenarioSample } from '../../lib/results/scenario';
import { scenarioServerSeries, withServerSamples } from '../../lib/results/scenario-telemetry';
import type { MetricSeries } from '../../lib/results/server-telemetry';
import { CopiesInService, ReplicaRecord, ServingRecord } from '../../loadtest/local/cloudwatch/serving-record';
import { cloudWatchClientOf, createScenarioTelemetry } from '../../loadtest/telemetry';
import { scenarioSpec } from '../../lib/results/scenario-schedule';
import { localCloudWatchPerTest } from '../support/local-cloudwatch';

/** A scenario's telemetry over time: CloudWatch periods on the scenario clock, joined to its samples. */

const T0 = Date.UTC(2026, 10, 30, 6, 0, 0);
const START = T0 + 30_000; // the scenario starts mid-minute

const s = (key: MetricSeries['key'], statistic: MetricSeries['statistic'], periodS: number, values: [number, number][]): MetricSeries => ({
  key,
  statistic,
  periodS,
  points: values.map(([offsetS, value]) => ({ timestampMs: T0 + offsetS * 1000, value })),
});

describe('scenario telemetry series (pure)', () => {
  const series: MetricSeries[] = [
    s('gpuUtilizationNormalized', 'Average', 60, [[0, 40], [60, 90]]),
    s('gpuMemoryUtilizationNormalized', 'Average', 60, [[0, 70], [60, 70]]),
    s('modelLatency', 'Sum', 60, [[0, 6_000_000], [60, 30_000_000]]),
    s('modelLatency', 'SampleCount', 60, [[0, 3], [60, 10]]),
    s('overheadLatency', 'Sum', 60, [[0, 15_000], [60, 50_000]]),
    s('overheadLatency', 'SampleCount', 60, [[0, 3], [60, 10]]),
    s('invocations', 'Sum', 60, [[0, 3], [60, 10]]),
    s('concurrentRequestsPerCopy', 'Maximum', 10, [[30, 1], [40, 2], [50, 3], [60, 4.5], [70, 4]]),
  ];

  it('one point per period on the scenario clock: per-GPU utilization, latency means in ms, invocations; concurrency per 10 s', () => {
    const out = scenarioServerSeries(series, { startEpochMs: START, hasComponents: true });
    expect(out.series).toEqual([
      { tS: -30, periodS: 60, gpuUtilizationPct: 40, gpuMemoryUtilizationPct: 70, modelLatencyMs: 2000, overheadLatencyMs: 5, invocations: 3 },
      { tS: 30, periodS: 60, gpuUtilizationPct: 90, gpuMemoryUtilizationPct: 70, modelLatencyMs: 3000, overheadLatencyMs: 5, invocations: 10 },
    ]);
    expect(out.concurrency.map((c) => [c.tS, c.concurrentRequests])).toEqual([[0, 1], [10, 2], [20, 3], [30, 4.5], [40, 4]]);
    // Without components GPUUtilization is summed over the GPUs of an instance: ÷ GPUs per instance, or nothing when unknown.
    const variant = [s('gpuUtilization', 'Average', 60, [[0, 200]])];
    expect(scenarioServerSeries(variant, { startEpochMs: START, hasComponents: false, gpusPerInstance: 4 }).series[0]?.gpuUtilizationPct).toBe(50);
    expect(scenarioServerSeries(variant, { startEpochMs: START, hasComponents: false }).series[0]?.gpuUtilizationPct).toBeUndefined();
  });

  it('a sample takes the period holding its midpoint and the highest concurrency overlapping it', () => {
    const server = scenarioServerSeries(series, { startEpochMs: START, hasComponents: true });
    const sample = (tS: number): ScenarioSample => ({ tS, offeredConcurrency: 1, achievedConcurrency: 1, completed: 0, ok: 0, tokensPerS: 0, errors: {} });
    const joined = withServerSamples([sample(0), sample(25), sample(30), sample(50)], 5, server);
    // 0–5 s: midpoint 2.5 s in the period from −30 s; concurrency 10 s period from 0 s.
    expect(joined[0]).toMatchObject({ gpuUtilizationPct: 40, modelLatencyMs: 2000, overheadLatencyMs: 5, concurrentRequestsPerCopy: 1 });
    // 25–30 s: still the first period; concurrency period 20–30 s.
    expect(joined[1]).toMatchObject({ gpuUtilizationPct: 40, concurrentRequestsPerCopy: 3 });
    // 30–35 s: the second period.
    expect(joined[2]).toMatchObject({ gpuUtilizationPct: 90, modelLatencyMs: 3000, concurrentRequestsPerCopy: 4.5 });
    // 50–55 s: no concurrency period overlaps (the last is 40–50 s): none.
    expect(joined[3]?.concurrentRequestsPerCopy).toBeUndefined();
    expect(joined[3]?.gpuUtilizationPct).toBe(90);
  });
});

describe('createScenarioTelemetry (real CloudWatch client, local CloudWatch)', () => {
  const serveCloudWatch = localCloudWatchPerTest();

  /** A scenario of 90 s from START with 3 samples of 30 s (only what attach reads matters). */
  function result(): ScenarioResult {
    const spec = scenarioSpec('ramp', { from: 1, to: 2, overS: 30, holdS: 60, fallS: 0, sampleS: 30 });
    const sample = (tS: number): ScenarioSample => ({ tS, offeredConcurrency: 2, achievedConcurrency: 2, completed: 0, ok: 0, tokensPerS: 0, errors: {} });
    return { durationS: 90, spec, samples: [sample(0), sample(30), sample(60)] } as unknown as ScenarioResult;
  }

  /** One copy in service, busy from the scenario's start (30 s into the minute) for 60 s. */
  function record(): ServingRecord {
    const r = new ServingRecord();
    const copy = new ReplicaRecord({ instance: 0, gpus: 1 });
    copy.observe(T0, 0);
    copy.observe(START, 1);
    copy.observe(START + 60_000, 0);
    const copies = new CopiesInService();
    copies.set(T0, 1);
    r.addBackend({ component: 'ic', replicas: [copy], gpuMemoryFraction: 0.5, copies });
    r.addInvocation({ component: 'ic', startMs: START, endMs: START + 20_000, status: 200 });
    r.addInvocation({ component: 'ic', startMs: START + 40_000, endMs: START + 50_000, status: 200 });
    return r;
  }

  it('joins the whole run, each window, the series and the samples from one settled read', async () => {
    const client = await serveCloudWatch(record(), () => START + 100_000);
    const telemetry = createScenarioTelemetry({ client, target: { endpointName: 'ep', inferenceComponent: 'ic' } });
    const out = await telemetry.attach(result(), START, [
      { index: 0, fromS: 0, toS: 30 },
      { index: 1, fromS: 30, toS: 90 },
    ]);
    const server60 = out.server;
    expect(server60?.schemaVersion).toBe(1);
    expect(server60?.publication).toMatchObject({ complete: true, reads: 1, maxWaitS: 180 });
    // Periods: 06:00 (busy 30 of 60 s → 50 %), 06:01 (busy 30 of 60 s → 50 %), on the scenario clock −30 s and 30 s.
    expect(server60?.series.map((p) => [p.tS, p.gpuUtilizationPct, p.invocations])).toEqual([
      [-30, 50, 1],
      [30, 50, 1],
    ]);
    // Samples 0–30 s (midpoint 15 s → first period), 30–60 s and 60–90 s (second); concurrency 1 while busy, 0 after.
    expect(out.samples.map((x) => [x.gpuUtilizationPct, x.concurrentRequestsPerCopy, x.modelLatencyMs])).toEqual([
      [50, 1, 20_000],
      [50, 1, 10_000],
      [50, 0, 10_000],
    ]);
    // The 90 s run holds one whole minute (06:01): its values; window 0 (30 s) only straddles periods, and says so.
    expect(server60?.whole).toMatchObject({ gpuUtilizationPct: 50, invocations: 1 });
    expect(server60?.windows?.map((w) => [w.index, w.fromS, w.toS, w.server.concurrentRequestsMax])).toEqual([
      [0, 0, 30, 1],
      [1, 30, 90, 1],
    ]);
    expect(server60?.windows?.[0]?.server.notes[0]).toMatch(/^window 30 s is shorter than the 60 s period/);
  });

  it('never fails the scenario: a GetMetricData error becomes the note, the samples stay as they were', async () => {
    const dead = cloudWatchClientOf({ endpointUrl: 'http://127.0.0.1:9' });
    try {
      const before = result();
      const out = await createScenarioTelemetry({ client: dead, target: { endpointName: 'ep' } }).attach(before, START);
      expect(out.server?.notes[0]).toMatch(/^GetMetricData failed: /);
      expect(out.server?.series).toEqual([]);
      expect(out.samples).toEqual(before.samples);
    } finally {
      dead.destroy();
    }
  });
});
