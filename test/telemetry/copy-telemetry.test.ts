import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeInferenceComponentCommand, SageMakerClient, UpdateInferenceComponentRuntimeConfigCommand } from '@aws-sdk/client-sagemaker';
import { COMPONENT_COPY_DIMENSION } from '../../lib/endpoint/scalable-dimensions';
import { CopiesInService, ReplicaRecord, ServingRecord } from '../../loadtest/local/cloudwatch/serving-record';
import { startLocalEndpoint } from '../../loadtest/local';
import { createPayloadSource } from '../../loadtest/payload';
import { createTarget } from '../../loadtest/targets';
import { cloudWatchClientOf } from '../../loadtest/telemetry';
import { localCloudWatchPerTest } from '../support/local-cloudwatch';

/**
 * Per-copy telemetry of an autoscaled component: only the copies in service publish
 * GPUUtilizationNormalized / GPUMemoryUtilizationNormalized ("reported by each copy of the inference
 * component"), and ConcurrentRequestsPerCopy is the component's requests "normalized by each copy"
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html), all read through the
 * real CloudWatch client.
 */

const T0 = Date.UTC(2026, 10, 30, 6, 0, 0);

type Stat = 'Average' | 'SampleCount' | 'Maximum' | 'Minimum' | 'Sum';

async function points(client: CloudWatchClient, metric: { namespace: string; name: string; dimensions: Record<string, string> }, stat: Stat, period: number, fromMs: number, toMs: number): Promise<{ t: number; v: number }[]> {
  const out = await client.send(
    new GetMetricDataCommand({
      StartTime: new Date(fromMs),
      EndTime: new Date(toMs),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        { Id: 'q', MetricStat: { Metric: { Namespace: metric.namespace, MetricName: metric.name, Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })) }, Period: period, Stat: stat } },
      ],
    }),
  );
  const r = out.MetricDataResults?.[0];
  return (r?.Timestamps ?? []).map((t, i) => ({ t: (t.getTime() - T0) / 1000, v: r?.Values?.[i] as number }));
}

const IC = { dimensions: { InferenceComponentName: 'ic' } };
const GPU_NORMALIZED = { namespace: '/aws/sagemaker/InferenceComponents', name: 'GPUUtilizationNormalized', ...IC };
const MEMORY_NORMALIZED = { namespace: '/aws/sagemaker/InferenceComponents', name: 'GPUMemoryUtilizationNormalized', ...IC };
const PER_COPY = { namespace: 'AWS/SageMaker', name: 'ConcurrentRequestsPerCopy', ...IC };
const VARIANT_MEMORY = { namespace: '/aws/sagemaker/Endpoints', name: 'GPUMemoryUtilization', dimensions: { EndpointName: 'ep', VariantName: 'AllTraffic' } };

/**
 * A pool of three 1-GPU copies: copy 0 holds 2 requests 0–120 s, copy 1 holds 1 request 30–120 s,
 * copy 2 never works. Copies in service: 1 from 0 s, 2 from 30 s, 3 from 90 s.
 */
function scaledPool(): ServingRecord {
  const record = new ServingRecord();
  const copy0 = new ReplicaRecord({ instance: 0, gpus: 1 });
  copy0.observe(T0, 2);
  copy0.observe(T0 + 120_000, 0);
  const copy1 = new ReplicaRecord({ instance: 0, gpus: 1 });
  copy1.observe(T0, 0);
  copy1.observe(T0 + 30_000, 1);
  copy1.observe(T0 + 120_000, 0);
  const copy2 = new ReplicaRecord({ instance: 0, gpus: 1 });
  copy2.observe(T0, 0);
  const copies = new CopiesInService();
  copies.set(T0, 1);
  copies.set(T0 + 30_000, 2);
  copies.set(T0 + 90_000, 3);
  record.addBackend({ component: 'ic', replicas: [copy0, copy1, copy2], gpuMemoryFraction: 0.9, copies });
  return record;
}

describe('per-copy telemetry of an autoscaled component (real CloudWatch client)', () => {
  const serveCloudWatch = localCloudWatchPerTest();

  it('publishes per copy in service: utilization and memory samples count the copies present', async () => {
    const client = await serveCloudWatch(scaledPool(), () => T0 + 180_000);
    const read = (metric: typeof GPU_NORMALIZED, stat: Stat) => points(client as CloudWatchClient, metric, stat, 60, T0, T0 + 180_000);
    // Minute 0: copy 0 (in service, busy all along: 100 %) and copy 1 (in service from 30 s, busy since: 100 % of its time); copy 2 not placed.
    // Minute 1: copies 0 and 1 busy (100 %), copy 2 in service from 90 s and idle (0 %) → 200 / 3. Minute 2: three idle copies.
    expect(await read(GPU_NORMALIZED, 'SampleCount')).toEqual([{ t: 0, v: 2 }, { t: 60, v: 3 }, { t: 120, v: 3 }]);
    const gpu = await read(GPU_NORMALIZED, 'Average');
    expect(gpu.map((p) => p.v)).toEqual([100, expect.closeTo(200 / 3, 9), 0]);
    expect((await read(MEMORY_NORMALIZED, 'SampleCount')).map((p) => p.v)).toEqual([2, 3, 3]);
    expect((await read(MEMORY_NORMALIZED, 'Average')).map((p) => p.v)).toEqual([expect.closeTo(90, 9), expect.closeTo(90, 9), expect.closeTo(90, 9)]);
    // The instance's GPUMemoryUtilization sums the copies present, weighted by their time: 90 × (1 + ½), 90 × (2 + ½), 90 × 3.
    const memory = await points(client as CloudWatchClient, VARIANT_MEMORY, 'Average', 60, T0, T0 + 180_000);
    expect(memory.map((p) => p.v)).toEqual([expect.closeTo(135, 9), expect.closeTo(225, 9), expect.closeTo(270, 9)]);
  });

  it("ConcurrentRequestsPerCopy: the component's requests ÷ its copies in service, every 10 s", async () => {
    const client = await serveCloudWatch(scaledPool(), () => T0 + 180_000);
    const perCopy = await points(client as CloudWatchClient, PER_COPY, 'Maximum', 10, T0, T0 + 130_000);
    // 0–30 s: 2 requests on 1 copy; 30–90 s: 3 on 2; 90–120 s: 3 on 3; 120–130 s: none on 3.
    expect(perCopy.map((p) => p.v)).toEqual([2, 2, 2, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1, 1, 1, 0]);
    expect(perCopy.map((p) => p.t)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
  });

  it('a pool of copies on the twin feeds its CloudWatch: samples follow CurrentCopyCount through the SageMaker API', async () => {
    const speedup = 100;
    const endpoint = await startLocalEndpoint({
      model: 'llama-2-7b',
      instance: 'ml.g5.12xlarge',
      tp: 1,
      copies: 1,
      speedup,
      endpointName: 'ep',
      inferenceComponents: ['ic'],
      controlPlane: { lifecycle: { endpointCreateMs: 0, componentCreateDelayMs: 0, copyPlacementMs: 70_000, endpointUpdateMs: 0, rollbackMs: 0, scaleOutFromZeroMs: 0 } },
      // A scalable target without policies: the copies change only when the test asks.
      scaling: { policies: [{ resourceId: 'inference-component/ic', scalableDimension: COMPONENT_COPY_DIMENSION, minCapacity: 1, maxCapacity: 3 }] },
    });
    const changes: { atMs: number; copies: number }[] = [];
    endpoint.controlPlane.world.onCopiesInService.push((_c, copies, atMs) => changes.push({ atMs, copies }));
    const sagemaker = new SageMakerClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    const cloudWatch = cloudWatchClientOf({ endpointUrl: endpoint.url });
    const target = createTarget({ kind: 'sagemaker', endpointName: 'ep', inferenceComponent: 'ic' }, { endpointUrl: endpoint.url, region: 'us-east-1', maxSockets: 6, retries: 0 });
    const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      const virtualNow = async (): Promise<number> => ((await (await fetch(`${endpoint.url}/info`)).json()) as { virtual_clock: { virtual_now_ms: number } }).virtual_clock.virtual_now_ms;
      // The first copy is placed 70 s (virtual) after creation; then ask for 3 (placed 70 s apart: a minute holds at most one change).
      for (let i = 0; i < 100 && ((await sagemaker.send(new DescribeInferenceComponentCommand({ InferenceComponentName: 'ic' }))).RuntimeConfig?.CurrentCopyCount ?? 0) < 1; i++) await sleep(20);
      const from = await virtualNow();
      await sagemaker.send(new UpdateInferenceComponentRuntimeConfigCommand({ InferenceComponentName: 'ic', DesiredRuntimeConfig: { CopyCount: 3 } }));
      // Six closed-loop streams for 160 s of endpoint time (1.6 s wall).
      const payload = createPayloadSource({ inputTokens: 64, outputTokens: 32 });
      const stopAt = Date.now() + 160_000 / speedup;
      await Promise.all(
        Array.from({ length: 6 }, async (_, worker) => {
          for (let seq = 0; Date.now() < stopAt; seq++) {
            const record = await target.generate({ ...payload.next(), concurrency: 6, worker, seq, scheduledMs: performance.now() }, new AbortController().signal);
            expect(record.error).toBeUndefined();
          }
        }),
      );
      const to = await virtualNow();
      expect(changes.map((c) => c.copies)).toEqual([1, 2, 3]);
      const added = changes.slice(1).map((c) => c.atMs);
      const out = await cloudWatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(from),
          EndTime: new Date(to),
          ScanBy: 'TimestampAscending',
          MetricDataQueries: [
            { Id: 'mem', MetricStat: { Metric: { Namespace: MEMORY_NORMALIZED.namespace, MetricName: MEMORY_NORMALIZED.name, Dimensions: [{ Name: 'InferenceComponentName', Value: 'ic' }] }, Period: 60, Stat: 'SampleCount' } },
            { Id: 'gpu', MetricStat: { Metric: { Namespace: GPU_NORMALIZED.namespace, MetricName: GPU_NORMALIZED.name, Dimensions: [{ Name: 'InferenceComponentName', Value: 'ic' }] }, Period: 60, Stat: 'Average' } },
          ],
        }),
      );
      const mem = out.MetricDataResults?.find((r) => r.Id === 'mem');
      expect(mem?.Timestamps?.length).toBeGreaterThanOrEqual(3);
      // The first period holds one copy, not the pool's three.
      expect(mem?.Values?.[0]).toBe(1);
      // A period publishes one memory sample per copy present in it: copies in service at its start, plus those placed within it.
      (mem?.Timestamps ?? []).forEach((t, i) => {
        const start = t.getTime();
        const end = start + 60_000;
        const atStart = 1 + added.filter((a) => a <= start).length;
        const within = added.filter((a) => a > start && a < end).length;
        expect(mem?.Values?.[i]).toBe(atStart + within);
      });
      // The copies worked: the component's GPUs were busy.
      expect(Math.max(...(out.MetricDataResults?.find((r) => r.Id === 'gpu')?.Values ?? [0]))).toBeGreaterThan(10);
    } finally {
      sagemaker.destroy();
      cloudWatch.destroy();
      await target.close();
      await endpoint.close();
    }
  });
});
