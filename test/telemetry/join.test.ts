import { joinServerTelemetry, type MetricSeries } from '../../lib/results/server-telemetry';
import { isValidPeriodS, publishedResolutionS, SERVER_METRICS } from '../../lib/results/server-metrics';

const T0 = Date.UTC(2026, 10, 30, 6, 0, 0);
const minute = (k: number): number => T0 + k * 60_000;
const gpu = (values: number[]): MetricSeries => ({ key: 'gpuUtilization', statistic: 'Average', periodS: 60, points: values.map((value, k) => ({ timestampMs: minute(k), value })) });

describe('joinServerTelemetry (pure)', () => {
  it('uses the periods wholly inside the window, normalized per GPU', () => {
    // Window 0:30–2:30 holds minute 1 whole; minutes 0 and 2 straddle its edges and are left out.
    const joined = joinServerTelemetry([gpu([0, 320, 0])], { window: { startMs: minute(0.5), endMs: minute(2.5) }, periodS: 60, gpusPerInstance: 4, hasComponents: false });
    expect(joined.gpuUtilizationPct).toBe(80);
    expect(joined.metrics[0]).toMatchObject({ metricName: 'GPUUtilization', value: 320, periods: 1 });
    expect(joined.notes).toEqual([]);
  });

  it('without a whole period inside, weights straddling periods by their overlap and says so', () => {
    // 0:40–1:50: 20 s of minute 0 at 100 %, 50 s of minute 1 at 30 % → (100×20 + 30×50) / 70 = 50.
    const joined = joinServerTelemetry([gpu([100, 30])], { window: { startMs: minute(40 / 60), endMs: minute(110 / 60) }, periodS: 60, gpusPerInstance: 1, hasComponents: false });
    expect(joined.gpuUtilizationPct).toBeCloseTo(50, 9);
    expect(joined.notes[0]).toMatch(/^no whole 60 s period inside the 70 s window for GPUUtilization: periods straddling its edges are weighted by their overlap/);
  });

  it('a window shorter than the period is said; without a GPU count no per-GPU figure is invented', () => {
    const joined = joinServerTelemetry([gpu([200])], { window: { startMs: minute(0.25), endMs: minute(0.5) }, periodS: 60, hasComponents: false });
    expect(joined.gpuUtilizationPct).toBeUndefined();
    expect(joined.metrics[0]?.value).toBe(200);
    expect(joined.notes).toEqual([
      'window 15 s is shorter than the 60 s period: per-period values include time outside the level',
      'GPUUtilization is summed over the GPUs of an instance; the GPU count is unknown, so no per-GPU figure',
    ]);
  });

  it('latency: Sum / SampleCount over the periods, µs → ms; a metric read without datapoints is noted', () => {
    const series: MetricSeries[] = [
      { key: 'modelLatency', statistic: 'Sum', periodS: 60, points: [{ timestampMs: minute(0), value: 3_000_000 }, { timestampMs: minute(1), value: 9_000_000 }] },
      { key: 'modelLatency', statistic: 'SampleCount', periodS: 60, points: [{ timestampMs: minute(0), value: 2 }, { timestampMs: minute(1), value: 4 }] },
      { key: 'modelLatency', statistic: 'Maximum', periodS: 60, points: [{ timestampMs: minute(0), value: 2_500_000 }, { timestampMs: minute(1), value: 2_600_000 }] },
      { key: 'overheadLatency', statistic: 'Sum', periodS: 60, points: [] },
    ];
    const joined = joinServerTelemetry(series, { window: { startMs: minute(0), endMs: minute(2) }, periodS: 60, hasComponents: true });
    expect(joined.modelLatencyMs).toEqual({ mean: 2000, max: 2600 });
    expect(joined.overheadLatencyMs).toBeUndefined();
    expect(joined.notes).toContain('OverheadLatency: no datapoint in the window');
  });

  it('resolution facts: 10 s concurrency metrics, publish frequency for utilization, CloudWatch periods', () => {
    const concurrency = SERVER_METRICS.find((m) => m.metricName === 'ConcurrentRequestsPerModel');
    const gpuMetric = SERVER_METRICS.find((m) => m.metricName === 'GPUUtilization');
    const latency = SERVER_METRICS.find((m) => m.metricName === 'ModelLatency');
    if (!concurrency || !gpuMetric || !latency) throw new Error('catalog incomplete');
    expect(publishedResolutionS(concurrency)).toBe(10);
    expect(publishedResolutionS(gpuMetric)).toBe(60);
    expect(publishedResolutionS(gpuMetric, { publishFrequencyS: 10 })).toBe(10);
    expect(publishedResolutionS(latency, { publishFrequencyS: 10 })).toBe(60);
    expect(publishedResolutionS(latency, { publishFrequencyS: 10, enhancedMetrics: true })).toBe(10);
    expect([1, 5, 10, 20, 30, 60, 120].every(isValidPeriodS)).toBe(true);
    expect([0, 15, 45, 90].some(isValidPeriodS)).toBe(false);
    expect(latency).toMatchObject({ namespace: 'AWS/SageMaker', unit: 'Microseconds' });
    expect(SERVER_METRICS.find((m) => m.metricName === 'GPUUtilizationNormalized')).toMatchObject({ namespace: '/aws/sagemaker/InferenceComponents', scope: 'component' });
  });
});
