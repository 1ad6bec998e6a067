import type { TopLevelSpec } from 'vega-lite';
import type { ScenarioResult } from '../../lib/results/scenario';

/** Long-format rows of the scenario chart: one per (time, series). */
interface Row {
  readonly tS: number;
  readonly series: string;
  readonly value: number;
}

function rows(result: ScenarioResult): { load: Row[]; latency: Row[] } {
  const load: Row[] = [];
  const latency: Row[] = [];
  const capacity = `${result.capacityUnit ?? 'copies'} in service`;
  for (const s of result.samples) {
    if (result.spec.load === 'rate') {
      // An open loop: the offered rate (the schedule) against the rate answered successfully.
      load.push({ tS: s.tS, series: 'offered requests/s', value: Number((s.offeredRatePerS ?? 0).toFixed(3)) });
      load.push({ tS: s.tS, series: 'achieved requests/s', value: Number((s.achievedRatePerS ?? 0).toFixed(3)) });
    } else {
      load.push({ tS: s.tS, series: 'offered concurrency', value: s.offeredConcurrency });
      load.push({ tS: s.tS, series: 'achieved concurrency', value: Number(s.achievedConcurrency.toFixed(2)) });
    }
    if (s.latencyP50Ms !== undefined) latency.push({ tS: s.tS, series: 'latency p50', value: s.latencyP50Ms / 1000 });
    if (s.latencyP99Ms !== undefined) latency.push({ tS: s.tS, series: 'latency p99', value: s.latencyP99Ms / 1000 });
    const errors = Object.values(s.errors).reduce((a: number, b) => a + (b ?? 0), 0);
    latency.push({ tS: s.tS, series: 'errors / s', value: errors / result.spec.sampleS });
  }
  // Capacity as a step line at the exact times it changed (DescribeInferenceComponent LastModifiedTime).
  const first = result.samples[0];
  if ((result.capacityUnit === 'instances' ? first?.instancesInService : first?.copiesInService) !== undefined) {
    load.push({ tS: 0, series: capacity, value: result.figures.startCapacity });
    for (const c of result.capacityChanges) load.push({ tS: c.atS, series: capacity, value: c.copies });
    const last = result.capacityChanges[result.capacityChanges.length - 1]?.copies ?? result.figures.startCapacity;
    load.push({ tS: result.durationS, series: capacity, value: last });
  }
  // The endpoint's ModelLatency per period (CloudWatch), beside the client's latency.
  for (const p of result.server?.series ?? []) {
    if (p.modelLatencyMs !== undefined && p.tS >= 0) latency.push({ tS: p.tS, series: 'model latency (CloudWatch)', value: p.modelLatencyMs / 1000 });
  }
  return { load, latency };
}

/** The endpoint's panel: GPU utilization per period (step) and concurrency per copy per 10 s period, from CloudWatch. */
function serverPanel<X, R>(result: ScenarioResult, x: X, rule: R) {
  const server = result.server;
  if (server === undefined || (server.series.length === 0 && server.concurrency.length === 0)) return [];
  const inRun = (tS: number): boolean => tS >= 0 && tS < result.durationS;
  const gpu = server.series.filter((p) => p.gpuUtilizationPct !== undefined && inRun(p.tS)).map((p) => ({ tS: p.tS, series: 'GPU utilization %', value: Number((p.gpuUtilizationPct as number).toFixed(2)) }));
  const concurrency = server.concurrency.filter((c) => inRun(c.tS)).map((c) => ({ tS: c.tS, series: 'concurrent requests per copy', value: Number(c.concurrentRequests.toFixed(2)) }));
  return [{
    width: 640,
    height: 140,
    layer: [
      rule,
      {
        data: { values: gpu },
        mark: { type: 'line' as const, interpolate: 'step-after' as const, color: '#2ca02c' },
        encoding: { x, y: { field: 'value', type: 'quantitative' as const, title: 'GPU utilization % (green)', scale: { domain: [0, 100] } } },
      },
      {
        data: { values: concurrency },
        mark: { type: 'line' as const, interpolate: 'step-after' as const, color: '#9467bd' },
        encoding: { x, y: { field: 'value', type: 'quantitative' as const, title: 'concurrent requests per copy (purple)', axis: { orient: 'right' as const }, scale: { domainMin: 0 } } },
      },
    ],
    resolve: { scale: { y: 'independent' as const } },
  }];
}

/**
 * The scenario over time: load (offered and achieved concurrency) with capacity in service as a step
 * line on its own axis, below it latency p50/p99 and errors, and, when the endpoint's CloudWatch
 * telemetry was read, its GPU utilization and concurrency per copy, on the same time axis; scaling
 * activities are rules on every panel.
 */
export function scenarioChartSpec(result: ScenarioResult): TopLevelSpec {
  const { load, latency } = rows(result);
  const x = { field: 'tS', type: 'quantitative' as const, title: 'time since start (s)', scale: { domain: [0, Math.ceil(result.durationS)] } };
  const activities = result.activities.map((a) => ({ tS: a.startS, label: `→ ${a.toCapacity ?? '?'}` }));
  const rule = { data: { values: activities }, mark: { type: 'rule' as const, strokeDash: [2, 2], color: '#888' }, encoding: { x } };
  const title = `${result.spec.kind}${result.deployment ? ` · ${result.deployment.id}` : ''}`;
  const server = serverPanel(result, x, rule);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    background: 'white',
    vconcat: [
      {
        width: 640,
        height: 220,
        layer: [
          rule,
          {
            data: { values: load.filter((r) => !r.series.endsWith(' in service')) },
            mark: { type: 'line' as const },
            encoding: { x, y: { field: 'value', type: 'quantitative' as const, title: result.spec.load === 'rate' ? 'requests/s' : 'concurrency' }, color: { field: 'series', type: 'nominal' as const, title: null, legend: { orient: 'top' as const } } },
          },
          {
            data: { values: load.filter((r) => r.series.endsWith(' in service')) },
            mark: { type: 'line' as const, interpolate: 'step-after' as const, color: 'black', strokeWidth: 2 },
            encoding: { x, y: { field: 'value', type: 'quantitative' as const, title: `${result.capacityUnit ?? 'copies'} in service (black step)`, axis: { orient: 'right' as const, tickMinStep: 1, format: 'd' }, scale: { domainMin: 0 } } },
          },
        ],
        resolve: { scale: { y: 'independent' as const } },
      },
      {
        width: 640,
        height: 180,
        layer: [
          rule,
          {
            data: { values: latency },
            mark: { type: 'line' as const, point: false },
            encoding: { x, y: { field: 'value', type: 'quantitative' as const, title: 'latency (s) · errors/s' }, color: { field: 'series', type: 'nominal' as const, title: null, legend: { orient: 'top' as const } } },
          },
        ],
      },
      ...server,
    ],
  };
}

/** The chart as a standalone SVG (Vega-Lite → Vega → headless view, as the sweep report's chart). */
export async function renderScenarioSvg(result: ScenarioResult): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(scenarioChartSpec(result)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
