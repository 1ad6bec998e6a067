import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ReplicaRecord, ServingRecord } from '../../loadtest/local/cloudwatch/serving-record';
import { startLocalEndpoint } from '../../loadtest/local';
import { cloudWatchClientOf, lastPeriodPublished, readMetricSeries, readSettledTelemetry, parseSettleSeconds } from '../../loadtest/telemetry';
import { localCloudWatchPerTest } from '../support/local-cloudwatch';

/**
 * CloudWatch publishes a period's datapoint after the period closes. The local CloudWatch models a
 * publication delay (`publishDelayMs`), and the read after a window polls GetMetricData until the
 * window's last period is there or the bounded wait ends, saying which (real client, loopback).
 */

const T0 = Date.UTC(2026, 10, 30, 6, 0, 0);
const TARGET = { endpointName: 'ep', gpusPerInstance: 1 };

/** One 1-GPU copy: busy the whole first minute, idle the second. */
function record(): ServingRecord {
  const r = new ServingRecord();
  const copy = new ReplicaRecord({ instance: 0, gpus: 1 });
  copy.observe(T0, 1);
  copy.observe(T0 + 60_000, 0);
  r.addBackend({ component: undefined, replicas: [copy], gpuMemoryFraction: 0.5 });
  return r;
}

/** A wall clock the test moves: `sleep` advances it instead of waiting. */
function fakeWall(startMs: number) {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number): Promise<void> => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('CloudWatch publication delay', () => {
  const serveCloudWatch = localCloudWatchPerTest();

  it('the local CloudWatch publishes a period only once it closed and the delay passed', async () => {
    let now = T0 + 70_000;
    const client = await serveCloudWatch(record(), () => now, 1, { publishDelayMs: 20_000 });
    const window = { startMs: T0, endMs: T0 + 60_000 };
    const gpu = async (): Promise<number[]> => (await readMetricSeries(client as CloudWatchClient, TARGET, window)).series.find((s) => s.key === 'gpuUtilization')?.points.map((p) => p.value) ?? [];
    // 70 s: the minute 0–60 s closed 10 s ago; published at 80 s.
    expect(await gpu()).toEqual([]);
    now = T0 + 80_000;
    expect(await gpu()).toEqual([100]);
    // The 10 s concurrency periods follow the same rule: by 70 s, those ending by 50 s (end + 20 s ≤ 70 s).
    now = T0 + 70_000;
    const concurrency = (await readMetricSeries(client, TARGET, window)).series.find((s) => s.key === 'concurrentRequestsPerModel');
    expect(concurrency?.points.map((p) => (p.timestampMs - T0) / 1000)).toEqual([0, 10, 20, 30, 40]);
    await expect(serveCloudWatch(record(), () => now, 1, { publishDelayMs: -1 })).rejects.toThrow('publishDelayMs must be a number ≥ 0, got -1');
  });

  it('waits until the last period is published: polls every pollS, reports the wait', async () => {
    const wall = fakeWall(T0 + 60_000);
    const client = await serveCloudWatch(record(), wall.now, 1, { publishDelayMs: 20_000 });
    const server60 = await readSettledTelemetry(client, TARGET, { startMs: T0, endMs: T0 + 60_000 }, { settle: { maxWaitS: 60, pollS: 5 }, sleep: wall.sleep, now: wall.now });
    // Reads at 60, 65, 70, 75 and 80 s: the minute appears at 80 s (60 + 20).
    expect(server60.publication).toEqual({ complete: true, waitedS: 20, reads: 5, maxWaitS: 60 });
    expect(wall.sleeps).toEqual([5000, 5000, 5000, 5000]);
    expect(server60.gpuUtilizationPct).toBeCloseTo(100, 9);
    expect(server60.notes.some((n) => n.startsWith('incomplete'))).toBe(false);
  });

  it('gives up after maxWaitS and says the data is incomplete: values cover the periods published', async () => {
    const wall = fakeWall(T0 + 120_000);
    const client = await serveCloudWatch(record(), wall.now, 1, { publishDelayMs: 30_000 });
    const read = await readSettledTelemetry(client, TARGET, { startMs: T0, endMs: T0 + 120_000 }, { settle: { maxWaitS: 20, pollS: 15 }, sleep: wall.sleep, now: wall.now });
    // Minute 0 (published at 90 s) is there; minute 1 would be at 150 s, after the 20 s wait (140 s).
    expect(read.publication).toEqual({ complete: false, waitedS: 20, reads: 3, maxWaitS: 20 });
    expect(wall.sleeps).toEqual([15_000, 5_000]);
    expect(read.gpuUtilizationPct).toBeCloseTo(100, 9);
    expect(read.notes).toContain(
      "incomplete: the window's last 60 s period (from 2026-11-30T06:01:00.000Z) had no datapoint after waiting 20 s (at most 20 s): CloudWatch had not published it yet; values cover the earlier periods",
    );
  });

  it('waits on the endpoint clock: a time-compressed endpoint sleeps wall time ÷ speedup', async () => {
    const wall = fakeWall(T0);
    let virtualNow = T0 + 60_000;
    const client = await serveCloudWatch(record(), () => virtualNow, 1, { publishDelayMs: 20_000 });
    const sleep = async (ms: number): Promise<void> => {
      await wall.sleep(ms);
      virtualNow += ms * 10;
    };
    const read = await readSettledTelemetry(client, TARGET, { startMs: T0, endMs: T0 + 60_000 }, { clock: { speedup: 10, originMs: 0 }, settle: { maxWaitS: 60, pollS: 10 }, sleep, now: wall.now });
    expect(wall.sleeps).toEqual([1000, 1000]);
    expect(read.publication).toEqual({ complete: true, waitedS: 20, reads: 3, maxWaitS: 60 });
  });

  it('the last period counts as published when any standard metric has it', () => {
    const series = [{ key: 'gpuUtilization' as const, statistic: 'Average' as const, periodS: 60, points: [{ timestampMs: T0, value: 1 }] }];
    expect(lastPeriodPublished(series, T0, T0 + 60_000, 60)).toBe(true);
    expect(lastPeriodPublished(series, T0, T0 + 60_001, 60)).toBe(false);
    // A 10 s series does not stand for the standard period.
    expect(lastPeriodPublished([{ ...series[0], key: 'concurrentRequestsPerModel', periodS: 10, points: [{ timestampMs: T0 + 60_000, value: 1 }] }], T0, T0 + 61_000, 60)).toBe(false);
    expect(parseSettleSeconds('90', '--telemetry-max-wait')).toBe(90);
    expect(() => parseSettleSeconds('-3', '--telemetry-max-wait')).toThrow("--telemetry-max-wait: must be a number of seconds ≥ 0, got '-3'");
  });

  it('against the twin with a publication delay: the read after a window waits on its compressed clock', async () => {
    const speedup = 200;
    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup, endpointName: 'ep', cloudWatch: { publishDelayMs: 30_000 } });
    const cloudWatch = cloudWatchClientOf({ endpointUrl: endpoint.url });
    try {
      const origin = endpoint.clockOriginMs as number;
      const virtual = (wallMs: number): number => origin + (wallMs - origin) * speedup;
      const endMs = virtual(Date.now());
      const window = { startMs: endMs - 30_000, endMs };
      const startedWall = Date.now();
      const read = await readSettledTelemetry(cloudWatch, { endpointName: 'ep', gpusPerInstance: 1 }, window, { clock: { speedup, originMs: origin }, settle: { maxWaitS: 300, pollS: 5 } });
      // The minute holding the window's end closes within 60 s, then 30 s more: ≤ 90 s of endpoint time, under half a second of wall time.
      expect(read.publication?.complete).toBe(true);
      const lastEnd = Math.ceil(endMs / 60_000) * 60_000;
      expect(read.publication?.waitedS).toBeGreaterThanOrEqual((lastEnd + 30_000 - endMs) / 1000 - 0.5);
      expect(read.publication?.waitedS).toBeLessThanOrEqual((lastEnd + 30_000 - endMs) / 1000 + 10);
      expect(Date.now() - startedWall).toBeLessThan(3_000);
    } finally {
      cloudWatch.destroy();
      await endpoint.close();
    }
  });
});
