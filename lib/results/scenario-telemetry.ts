import type { MetricSeries, PublicationWait, ServerTelemetry } from './server-telemetry';

/**
 * The endpoint's own view of a scenario: its CloudWatch metrics over the whole run (the same `server`
 * block a sweep level gets), per scenario window (pipeline runs), and over time, one point per
 * published period, joined to the time series' samples. Pure: the reads are in loadtest/telemetry.
 * Times are seconds on the scenario's clock (the endpoint's), as the rest of scenario.json.
 */

export const SCENARIO_SERVER_VERSION = 1 as const;

/** The standard metrics of one period (60 s unless the endpoint publishes more often). */
export interface ScenarioServerPoint {
  /** Start of the period, scenario s (negative when the period began before the scenario). */
  readonly tS: number;
  readonly periodS: number;
  /** Busy share of each GPU, %: GPUUtilizationNormalized (Average over the copies that published) or GPUUtilization ÷ GPUs per instance. */
  readonly gpuUtilizationPct?: number;
  readonly gpuMemoryUtilizationPct?: number;
  /** ModelLatency / OverheadLatency mean of the period (Sum ÷ SampleCount), ms. */
  readonly modelLatencyMs?: number;
  readonly overheadLatencyMs?: number;
  /** Invocations (Sum) the endpoint counted in the period. */
  readonly invocations?: number;
}

/** One high-resolution period (10 s) of the concurrency metric. */
export interface ScenarioConcurrencyPoint {
  readonly tS: number;
  readonly periodS: number;
  /** Maximum of ConcurrentRequestsPerCopy (components: the component's requests ÷ copies in service) or ConcurrentRequestsPerModel. */
  readonly concurrentRequests: number;
}

export interface ScenarioServerTelemetry {
  readonly schemaVersion: typeof SCENARIO_SERVER_VERSION;
  readonly source: 'cloudwatch';
  /** The whole scenario joined into one block (as a sweep level's `server`). */
  readonly whole: ServerTelemetry;
  /** Each scenario window of a pipeline run, joined alike (its [fromS, toS) on the scenario clock). */
  readonly windows?: readonly { readonly index: number; readonly fromS: number; readonly toS: number; readonly server: ServerTelemetry }[];
  /** The standard metrics per period, over time. */
  readonly series: readonly ScenarioServerPoint[];
  /** ConcurrentRequestsPerCopy / PerModel per 10 s period, over time. */
  readonly concurrency: readonly ScenarioConcurrencyPoint[];
  /** How the read waited for the last period to be published. */
  readonly publication?: PublicationWait;
  /** What the resolution allows and what is missing, in words. */
  readonly notes: readonly string[];
}

/**
 * The endpoint's CloudWatch figures of one sample's window (a ScenarioSample carries them): per-GPU
 * utilization %, ModelLatency and OverheadLatency means (ms) of the standard period holding the sample,
 * and the highest ConcurrentRequestsPerCopy (PerModel without components) of the 10 s periods overlapping it.
 */
export interface ServerSampleFields {
  readonly gpuUtilizationPct?: number;
  readonly modelLatencyMs?: number;
  readonly overheadLatencyMs?: number;
  readonly concurrentRequestsPerCopy?: number;
}

export interface SeriesOptions {
  /** Endpoint epoch ms of scenario time 0. */
  readonly startEpochMs: number;
  readonly hasComponents: boolean;
  /** GPUs per instance, to express GPUUtilization (summed over GPUs) per GPU on endpoints without components. */
  readonly gpusPerInstance?: number;
}

/** The raw series of a scenario's read as points on its clock: one per standard period, one per 10 s concurrency period. */
export function scenarioServerSeries(series: readonly MetricSeries[], opts: SeriesOptions): { series: ScenarioServerPoint[]; concurrency: ScenarioConcurrencyPoint[] } {
  const find = (key: MetricSeries['key'], statistic: MetricSeries['statistic']): MetricSeries | undefined => series.find((s) => s.key === key && s.statistic === statistic);
  const byTime = (s: MetricSeries | undefined): Map<number, number> => new Map((s?.points ?? []).filter((p) => Number.isFinite(p.value)).map((p) => [p.timestampMs, p.value]));
  const gpu = opts.hasComponents ? find('gpuUtilizationNormalized', 'Average') : find('gpuUtilization', 'Average');
  const memory = opts.hasComponents ? find('gpuMemoryUtilizationNormalized', 'Average') : find('gpuMemoryUtilization', 'Average');
  const perGpu = opts.hasComponents ? 1 : opts.gpusPerInstance;
  const latency = (key: 'modelLatency' | 'overheadLatency'): { sum: Map<number, number>; count: Map<number, number> } => ({ sum: byTime(find(key, 'Sum')), count: byTime(find(key, 'SampleCount')) });
  const model = latency('modelLatency');
  const overhead = latency('overheadLatency');
  const invocations = byTime(find('invocations', 'Sum'));
  const gpuAt = byTime(gpu);
  const memoryAt = byTime(memory);
  const periodS = gpu?.periodS ?? find('modelLatency', 'Sum')?.periodS ?? 60;
  const times = [...new Set([...gpuAt.keys(), ...memoryAt.keys(), ...model.sum.keys(), ...invocations.keys()])].sort((a, b) => a - b);
  const meanMs = (l: typeof model, t: number): number | undefined => {
    const sum = l.sum.get(t);
    const count = l.count.get(t);
    return sum !== undefined && count !== undefined && count > 0 ? sum / count / 1000 : undefined;
  };
  const points = times.map((t): ScenarioServerPoint => {
    const g = gpuAt.get(t);
    const m = memoryAt.get(t);
    const modelMs = meanMs(model, t);
    const overheadMs = meanMs(overhead, t);
    const n = invocations.get(t);
    return {
      tS: (t - opts.startEpochMs) / 1000,
      periodS,
      ...(g !== undefined && perGpu !== undefined && perGpu > 0 ? { gpuUtilizationPct: g / perGpu } : {}),
      ...(m !== undefined && perGpu !== undefined && perGpu > 0 ? { gpuMemoryUtilizationPct: m / perGpu } : {}),
      ...(modelMs !== undefined ? { modelLatencyMs: modelMs } : {}),
      ...(overheadMs !== undefined ? { overheadLatencyMs: overheadMs } : {}),
      ...(n !== undefined ? { invocations: n } : {}),
    };
  });
  const concurrencySeries = opts.hasComponents ? find('concurrentRequestsPerCopy', 'Maximum') : find('concurrentRequestsPerModel', 'Maximum');
  const concurrency = [...(concurrencySeries?.points ?? [])]
    .filter((p) => Number.isFinite(p.value))
    .sort((a, b) => a.timestampMs - b.timestampMs)
    .map((p) => ({ tS: (p.timestampMs - opts.startEpochMs) / 1000, periodS: concurrencySeries?.periodS ?? 10, concurrentRequests: p.value }));
  return { series: points, concurrency };
}

/**
 * The samples with the endpoint's figures of their window: a sample takes the standard period that
 * holds its midpoint (a 60 s period spans several samples of a few seconds: they share its value) and
 * the highest concurrency of the 10 s periods overlapping it.
 */
export function withServerSamples<S extends { readonly tS: number }>(samples: readonly S[], sampleS: number, server: Pick<ScenarioServerTelemetry, 'series' | 'concurrency'>): (S & ServerSampleFields)[] {
  return samples.map((sample) => {
    const mid = sample.tS + sampleS / 2;
    const period = server.series.find((p) => p.tS <= mid && mid < p.tS + p.periodS);
    const overlapping = server.concurrency.filter((c) => c.tS < sample.tS + sampleS && c.tS + c.periodS > sample.tS);
    const concurrency = overlapping.length > 0 ? Math.max(...overlapping.map((c) => c.concurrentRequests)) : undefined;
    return {
      ...sample,
      ...(period?.gpuUtilizationPct !== undefined ? { gpuUtilizationPct: period.gpuUtilizationPct } : {}),
      ...(period?.modelLatencyMs !== undefined ? { modelLatencyMs: period.modelLatencyMs } : {}),
      ...(period?.overheadLatencyMs !== undefined ? { overheadLatencyMs: period.overheadLatencyMs } : {}),
      ...(concurrency !== undefined ? { concurrentRequestsPerCopy: concurrency } : {}),
    };
  });
}
