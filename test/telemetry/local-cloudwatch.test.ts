import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { localCloudWatchPerTest } from '../support/local-cloudwatch';
import { ReplicaRecord, ServingRecord } from '../../loadtest/local/cloudwatch/serving-record';
import { OVERHEAD_LATENCY_MS } from '../../loadtest/local/cloudwatch';
import { readServerTelemetry } from '../../loadtest/telemetry';

/**
 * The local CloudWatch answers GetMetricData, as the real @aws-sdk/client-cloudwatch sends it, from a
 * serving record built by hand: every figure below follows from the record's intervals.
 */

const T0 = Date.UTC(2026, 10, 30, 6, 0, 0); // a whole minute

/** Two copies of TP 2 on one 4-GPU instance: copy 0 busy 0–30 s (2 requests 0–10 s, 1 until 30 s), copy 1 idle. */
function twoCopies(component: string | undefined): ServingRecord {
  const record = new ServingRecord();
  const busy = new ReplicaRecord({ instance: 0, gpus: 2 });
  busy.observe(T0, 2);
  busy.observe(T0 + 10_000, 1);
  busy.observe(T0 + 30_000, 0);
  const idle = new ReplicaRecord({ instance: 0, gpus: 2 });
  idle.observe(T0, 0);
  record.addBackend({ component, replicas: [busy, idle], gpuMemoryFraction: 0.9 });
  // Three answered invocations: 2 s, 4 s (both 200) and a 429 of the container after 1 ms.
  record.addInvocation({ component, startMs: T0 + 1_000, endMs: T0 + 3_000, status: 200 });
  record.addInvocation({ component, startMs: T0 + 1_000, endMs: T0 + 5_000, status: 200 });
  record.addInvocation({ component, startMs: T0 + 6_000, endMs: T0 + 6_001, status: 429 });
  return record;
}

describe('local CloudWatch GetMetricData (real client)', () => {
  const serveCloudWatch = localCloudWatchPerTest();

  test('variant endpoint: utilization from busy time, latency from invocations, concurrency at 10 s', async () => {
    const client = await serveCloudWatch(twoCopies(undefined), () => T0 + 120_000);
    const server60 = await readServerTelemetry(client, { endpointName: 'ep', gpusPerInstance: 4 }, { startMs: T0, endMs: T0 + 60_000 });
    // Copy 0 (2 GPUs) busy 30 of 60 s → 2 × 100 × 0.5 = 100 % summed over GPUs → 25 % per GPU of 4.
    expect(server60.metrics.find((m) => m.metricName === 'GPUUtilization')?.value).toBeCloseTo(100, 6);
    expect(server60.gpuUtilizationPct).toBeCloseTo(25, 6);
    // Memory: both copies hold 90 % of their 2 GPUs → 360 % summed → 90 % per GPU.
    expect(server60.gpuMemoryUtilizationPct).toBeCloseTo(90, 6);
    // One core per busy copy: 100 × 0.5.
    expect(server60.cpuUtilizationPct).toBeCloseTo(50, 6);
    // ModelLatency: (2000 + 4000 + 1) / 3 ms; max 4 s. OverheadLatency: the twin's constant.
    expect(server60.modelLatencyMs?.mean).toBeCloseTo(6001 / 3, 6);
    expect(server60.modelLatencyMs?.max).toBeCloseTo(4000, 6);
    expect(server60.overheadLatencyMs).toEqual({ mean: OVERHEAD_LATENCY_MS, max: OVERHEAD_LATENCY_MS });
    expect(server60).toMatchObject({ invocations: 3, invocation4xxErrors: 1, invocation5xxErrors: 0, invocationModelErrors: 1 });
    // Highest 10 s mean of requests in flight of any copy: 2 in the first 10 s.
    expect(server60.concurrentRequestsMax).toBeCloseTo(2, 6);
    expect(server60.metrics.find((m) => m.metricName === 'ConcurrentRequestsPerModel')).toMatchObject({ periodS: 10, periods: 6 });
    expect(server60.notes).toEqual(['concurrent requests at 10 s resolution (high-resolution metric)']);
  });

  test('inference component: normalized per-copy utilization and concurrency normalized by copies', async () => {
    const client = await serveCloudWatch(twoCopies('ic-a'), () => T0 + 120_000);
    const telemetry = await readServerTelemetry(client, { endpointName: 'ep', inferenceComponent: 'ic-a' }, { startMs: T0, endMs: T0 + 60_000 });
    // Each copy publishes its own busy share: (50 + 0) / 2.
    expect(telemetry.gpuUtilizationPct).toBeCloseTo(25, 6);
    expect(telemetry.gpuMemoryUtilizationPct).toBeCloseTo(90, 6);
    // ConcurrentRequestsPerCopy: the component's requests ÷ its copies (monitoring-cloudwatch.html):
    // 2 requests on 2 copies in the first 10 s → 1.
    expect(telemetry.concurrentRequestsMax).toBeCloseTo(1, 6);
    expect(telemetry.invocations).toBe(3);
    expect(telemetry.metrics.map((m) => m.namespace)).toEqual(expect.arrayContaining(['/aws/sagemaker/InferenceComponents', 'AWS/SageMaker', '/aws/sagemaker/Endpoints']));
  });

  test('a window shorter than the period says so; pagination follows NextToken', async () => {
    const client = await serveCloudWatch(twoCopies(undefined), () => T0 + 120_000);
    const short = await readServerTelemetry(client, { endpointName: 'ep', gpusPerInstance: 4 }, { startMs: T0 + 20_000, endMs: T0 + 40_000 }, { maxDatapoints: 2 });
    // The 60 s datapoint of 0–60 s is the only one: same values as the whole minute, with a note.
    expect(short.gpuUtilizationPct).toBeCloseTo(25, 6);
    expect(short.notes).toContain('window 20 s is shorter than the 60 s period: per-period values include time outside the level');
    // 10 s concurrency slots overlapping 20–40 s: copy 0 holds 1 request all along.
    expect(short.concurrentRequestsMax).toBeCloseTo(1, 6);
  });

  test('pages with MaxDatapoints and NextToken; refuses what it does not implement with CloudWatch errors', async () => {
    const client = await serveCloudWatch(twoCopies(undefined), () => T0 + 120_000);
    const send = (period: number, expression = false): Promise<unknown> =>
      (client as CloudWatchClient).send(
        new GetMetricDataCommand({
          StartTime: new Date(T0),
          EndTime: new Date(T0 + 60_000),
          MetricDataQueries: [
            expression
              ? { Id: 'e1', Expression: 'SUM(METRICS())' }
              : { Id: 'm1', MetricStat: { Metric: { Namespace: 'AWS/SageMaker', MetricName: 'ModelLatency', Dimensions: [{ Name: 'EndpointName', Value: 'ep' }, { Name: 'VariantName', Value: 'AllTraffic' }] }, Period: period, Stat: 'Average' } },
          ],
        }),
      );
    // Pagination as GetMetricData does it: MaxDatapoints per page, NextToken for the rest.
    const query = (id: string, metricName: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/SageMaker', MetricName: metricName, Dimensions: [{ Name: 'EndpointName', Value: 'ep' }, { Name: 'VariantName', Value: 'AllTraffic' }] }, Period: 10, Stat: 'Maximum' as const } });
    const page = (token?: string) =>
      (client as CloudWatchClient).send(new GetMetricDataCommand({ StartTime: new Date(T0), EndTime: new Date(T0 + 60_000), MaxDatapoints: 4, ScanBy: 'TimestampAscending', MetricDataQueries: [query('a', 'ConcurrentRequestsPerModel')], ...(token ? { NextToken: token } : {}) }));
    const first = await page();
    expect(first.MetricDataResults?.[0]).toMatchObject({ StatusCode: 'PartialData', Values: [2, 1, 1, 0] }); // 10 s slots: the busiest copy's mean in flight
    const second = await page(first.NextToken);
    expect(second.NextToken).toBeUndefined();
    expect(second.MetricDataResults?.[0]).toMatchObject({ StatusCode: 'Complete', Values: [0, 0] });
    await expect(page('not-a-token')).rejects.toMatchObject({ name: 'InvalidNextToken' });
    await expect(send(45)).rejects.toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('Period must be 1, 5, 10, 20, 30 or a multiple of 60') });
    await expect(send(60, true)).rejects.toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('MetricStat queries only') });
    const ok = (await send(60)) as { MetricDataResults: { Values: number[]; Timestamps: Date[] }[] };
    expect(ok.MetricDataResults[0]).toMatchObject({ Values: [(2000 + 4000 + 1) / 3 * 1000], Timestamps: [new Date(T0)] });
  });
});

describe('ReplicaRecord (step function of requests in flight)', () => {
  it('integrates busy share and mean in flight over any interval, before, across and after its changes', () => {
    const replica = new ReplicaRecord({ instance: 0, gpus: 1 });
    replica.observe(1_000, 3);
    replica.observe(2_000, 3); // unchanged: skipped
    replica.observe(4_000, 0);
    replica.observe(6_000, 1);
    expect(replica.busyFraction(0, 1_000)).toBe(0); // nothing recorded yet
    expect(replica.busyFraction(0, 8_000)).toBe(5 / 8); // 1–4 s and 6–8 s
    expect(replica.meanInFlight(0, 8_000)).toBe((3 * 3 + 2 * 1) / 8);
    expect(replica.meanInFlight(3_000, 5_000)).toBe(1.5);
    expect(replica.busyFraction(4_500, 5_500)).toBe(0);
    expect(replica.busyFraction(7_000, 7_000)).toBe(0); // empty interval
  });
});
