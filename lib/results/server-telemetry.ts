import { SERVER_METRICS, type MetricStatistic, type ServerMetricDefinition, type ServerMetricKey } from './server-metrics';

/**
 * The endpoint's own view of a level: CloudWatch datapoints of the level's window joined into one
 * versioned block of the LevelResult (`server`). Pure: the I/O (GetMetricData) is in loadtest/telemetry.
 */

export const SERVER_TELEMETRY_VERSION = 1 as const;

/** One datapoint as GetMetricData returns it: the period starting at `timestampMs`. */
export interface MetricPoint {
  readonly timestampMs: number;
  readonly value: number;
}

/** The datapoints of one query (a metric and a statistic) at one period. */
export interface MetricSeries {
  readonly key: ServerMetricKey;
  readonly statistic: MetricStatistic;
  readonly periodS: number;
  readonly points: readonly MetricPoint[];
}

/** One metric over the window: its value and the periods behind it. */
export interface ServerMetricValue {
  readonly key: ServerMetricKey;
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: MetricStatistic | 'Sum/SampleCount';
  /** In the metric's CloudWatch unit (Percent, Microseconds, None). */
  readonly value: number;
  readonly unit: string;
  readonly periodS: number;
  /** Datapoints (periods) overlapping the window. */
  readonly periods: number;
}

export interface ServerTelemetry {
  readonly schemaVersion: typeof SERVER_TELEMETRY_VERSION;
  readonly source: 'cloudwatch';
  /** The level's window on the endpoint's clock, epoch ms (what was queried, before CloudWatch's rounding). */
  readonly window: { readonly startMs: number; readonly endMs: number };
  /** Period of the standard metrics, s (60 unless the endpoint publishes more often). */
  readonly periodS: number;
  /** Busy share of each GPU, % (0–100): GPUUtilizationNormalized with components, else GPUUtilization ÷ GPUs per instance. */
  readonly gpuUtilizationPct?: number;
  /** Memory share of each GPU, % (0–100), same normalization. */
  readonly gpuMemoryUtilizationPct?: number;
  /** CPUUtilization as CloudWatch reports it: the sum over the instance's cores (0–100 × vCPUs). */
  readonly cpuUtilizationPct?: number;
  /** ModelLatency: time in the model container as SageMaker sees it, ms (Sum/SampleCount over the window; max). */
  readonly modelLatencyMs?: { readonly mean: number; readonly max: number };
  /** OverheadLatency: SageMaker's time beyond ModelLatency, ms. */
  readonly overheadLatencyMs?: { readonly mean: number; readonly max: number };
  /** Highest ConcurrentRequestsPerModel (variant) or ConcurrentRequestsPerCopy (components) in the window. */
  readonly concurrentRequestsMax?: number;
  readonly invocations?: number;
  readonly invocation4xxErrors?: number;
  readonly invocation5xxErrors?: number;
  readonly invocationModelErrors?: number;
  /** Every metric read, with its coverage. */
  readonly metrics: readonly ServerMetricValue[];
  /**
   * How the read waited for CloudWatch to publish the window's last period (additive in v1; absent
   * when read without waiting). `complete` false: the last period had no datapoint yet when the wait
   * ended, so the values cover the earlier periods only (a note says so).
   */
  readonly publication?: PublicationWait;
  /** What the resolution allows and what is missing, in words. */
  readonly notes: readonly string[];
}

/** The bounded wait for a window's last period to be published (endpoint seconds). */
export interface PublicationWait {
  readonly complete: boolean;
  /** Time waited after the first read, s of the endpoint's clock. */
  readonly waitedS: number;
  /** GetMetricData reads made (each following every page). */
  readonly reads: number;
  /** The longest wait allowed, s. */
  readonly maxWaitS: number;
}

export interface JoinOptions {
  readonly window: { readonly startMs: number; readonly endMs: number };
  /** Period of the standard metrics, s. */
  readonly periodS: number;
  /** GPUs per instance, to normalize GPUUtilization (summed over GPUs) of an endpoint without components. */
  readonly gpusPerInstance?: number;
  readonly hasComponents: boolean;
}

interface Overlapping {
  readonly points: readonly { readonly value: number; readonly overlapMs: number }[];
  /** True when only periods straddling the window's edges were found (no whole period inside it). */
  readonly straddling: boolean;
}

/**
 * The datapoints of `series` for the window: the periods wholly inside it when there are any (they
 * hold nothing of the neighbouring levels), else every period overlapping it.
 */
function overlapping(series: MetricSeries | undefined, window: JoinOptions['window']): Overlapping {
  if (series === undefined) return { points: [], straddling: false };
  const periodMs = series.periodS * 1000;
  const all = series.points
    .filter((p) => Number.isFinite(p.value))
    .map((p) => ({ value: p.value, inside: p.timestampMs >= window.startMs && p.timestampMs + periodMs <= window.endMs, overlapMs: Math.min(window.endMs, p.timestampMs + periodMs) - Math.max(window.startMs, p.timestampMs) }))
    .filter((p) => p.overlapMs > 0);
  const inside = all.filter((p) => p.inside);
  return inside.length > 0 ? { points: inside, straddling: false } : { points: all, straddling: all.length > 0 };
}

/** Overlap-weighted mean of Average datapoints; sum of Sum/SampleCount; max of Maximum. */
function combine(statistic: MetricStatistic, points: Overlapping['points']): number | undefined {
  if (points.length === 0) return undefined;
  switch (statistic) {
    case 'Average': {
      const weight = points.reduce((s, p) => s + p.overlapMs, 0);
      return points.reduce((s, p) => s + p.value * p.overlapMs, 0) / weight;
    }
    case 'Sum':
    case 'SampleCount':
      return points.reduce((s, p) => s + p.value, 0);
    case 'Maximum':
      return Math.max(...points.map((p) => p.value));
    case 'Minimum':
      return Math.min(...points.map((p) => p.value));
  }
}

/**
 * Joins the datapoints of a level's window into its `server` block. The periods wholly inside the
 * window are used when there are any; otherwise (a window shorter than about two periods) the periods
 * overlapping it, Averages weighted by the overlap, Sums and counts adding whole periods, and `notes`
 * says that those values include time outside the level.
 */
export function joinServerTelemetry(series: readonly MetricSeries[], opts: JoinOptions): ServerTelemetry {
  const { window } = opts;
  const find = (key: ServerMetricKey, statistic: MetricStatistic): MetricSeries | undefined =>
    series.find((s) => s.key === key && s.statistic === statistic);
  const metrics: ServerMetricValue[] = [];
  const notes: string[] = [];
  const windowS = (window.endMs - window.startMs) / 1000;
  const straddled = new Set<string>();
  const valueOf = (definition: ServerMetricDefinition, statistic: MetricStatistic): number | undefined => {
    const found = find(definition.key, statistic);
    const { points, straddling } = overlapping(found, window);
    const value = combine(statistic, points);
    if (straddling && found !== undefined) straddled.add(definition.metricName);
    if (value === undefined || found === undefined) return undefined;
    if (statistic !== 'SampleCount' && !(definition.statistics.includes('SampleCount') && statistic === 'Sum')) {
      metrics.push({ key: definition.key, namespace: definition.namespace, metricName: definition.metricName, statistic, value, unit: definition.unit, periodS: found.periodS, periods: points.length });
    }
    return value;
  };
  const latency = (definition: ServerMetricDefinition): { mean: number; max: number } | undefined => {
    const sum = valueOf(definition, 'Sum');
    const count = valueOf(definition, 'SampleCount');
    const max = valueOf(definition, 'Maximum');
    if (sum === undefined || count === undefined || !(count > 0)) return undefined;
    const found = find(definition.key, 'Sum');
    const meanUs = sum / count;
    metrics.push({ key: definition.key, namespace: definition.namespace, metricName: definition.metricName, statistic: 'Sum/SampleCount', value: meanUs, unit: definition.unit, periodS: found?.periodS ?? opts.periodS, periods: overlapping(found, window).points.length });
    return { mean: meanUs / 1000, max: (max ?? meanUs) / 1000 };
  };

  const values: Partial<Record<ServerMetricKey, number>> = {};
  let modelLatencyMs: { mean: number; max: number } | undefined;
  let overheadLatencyMs: { mean: number; max: number } | undefined;
  const wanted = SERVER_METRICS.filter((m) => m.layout === 'any' || (m.layout === 'components') === opts.hasComponents);
  for (const definition of wanted) {
    if (definition.key === 'modelLatency') modelLatencyMs = latency(definition);
    else if (definition.key === 'overheadLatency') overheadLatencyMs = latency(definition);
    else {
      const statistic = definition.statistics[0] as MetricStatistic;
      const value = valueOf(definition, statistic);
      if (value !== undefined) values[definition.key] = value;
    }
    const read = series.some((s) => s.key === definition.key);
    const present = metrics.some((m) => m.key === definition.key);
    if (read && !present) notes.push(`${definition.metricName}: no datapoint in the window`);
  }
  const periodsOf = (key: ServerMetricKey): number | undefined => series.find((s) => s.key === key)?.periodS;
  const standard = opts.periodS;
  if (windowS < standard) {
    notes.push(`window ${round(windowS)} s is shorter than the ${standard} s period: per-period values include time outside the level`);
  } else if (straddled.size > 0) {
    notes.push(
      `no whole ${standard} s period inside the ${round(windowS)} s window for ${[...straddled].join(', ')}: periods straddling its edges are weighted by their overlap ` +
        `(counts include whole periods); a window of at least two periods avoids this`,
    );
  }
  const concurrencyPeriod = periodsOf(opts.hasComponents ? 'concurrentRequestsPerCopy' : 'concurrentRequestsPerModel');
  if (concurrencyPeriod !== undefined && concurrencyPeriod < standard) notes.push(`concurrent requests at ${concurrencyPeriod} s resolution (high-resolution metric)`);

  const perGpu = (value: number | undefined): number | undefined => {
    if (value === undefined) return undefined;
    if (opts.gpusPerInstance === undefined || !(opts.gpusPerInstance > 0)) return undefined;
    return value / opts.gpusPerInstance;
  };
  const gpuUtilizationPct = opts.hasComponents ? values.gpuUtilizationNormalized : perGpu(values.gpuUtilization);
  const gpuMemoryUtilizationPct = opts.hasComponents ? values.gpuMemoryUtilizationNormalized : perGpu(values.gpuMemoryUtilization);
  if (!opts.hasComponents && values.gpuUtilization !== undefined && gpuUtilizationPct === undefined) {
    notes.push('GPUUtilization is summed over the GPUs of an instance; the GPU count is unknown, so no per-GPU figure');
  }
  const concurrentRequestsMax = opts.hasComponents ? values.concurrentRequestsPerCopy : values.concurrentRequestsPerModel;
  return {
    schemaVersion: SERVER_TELEMETRY_VERSION,
    source: 'cloudwatch',
    window: { startMs: window.startMs, endMs: window.endMs },
    periodS: opts.periodS,
    ...(gpuUtilizationPct !== undefined ? { gpuUtilizationPct } : {}),
    ...(gpuMemoryUtilizationPct !== undefined ? { gpuMemoryUtilizationPct } : {}),
    ...(values.cpuUtilization !== undefined ? { cpuUtilizationPct: values.cpuUtilization } : {}),
    ...(modelLatencyMs !== undefined ? { modelLatencyMs } : {}),
    ...(overheadLatencyMs !== undefined ? { overheadLatencyMs } : {}),
    ...(concurrentRequestsMax !== undefined ? { concurrentRequestsMax } : {}),
    ...(values.invocations !== undefined ? { invocations: values.invocations } : {}),
    ...(values.invocation4xxErrors !== undefined ? { invocation4xxErrors: values.invocation4xxErrors } : {}),
    ...(values.invocation5xxErrors !== undefined ? { invocation5xxErrors: values.invocation5xxErrors } : {}),
    ...(values.invocationModelErrors !== undefined ? { invocationModelErrors: values.invocationModelErrors } : {}),
    metrics,
    notes,
  };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

