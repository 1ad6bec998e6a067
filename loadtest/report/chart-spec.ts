import type { TopLevelSpec } from 'vega-lite';
import type { SweepResult } from '../../lib/results/records';

/** One point of the latency-throughput curve. */
export interface CurvePoint {
  readonly configuration: string;
  readonly concurrency: number;
  readonly throughputTokensPerS: number;
  readonly latencyMsPerToken: number;
  /** Set on the sweep's knee level: names the rule. */
  readonly knee?: string;
  /** True for a planner prediction (drawn dashed), false for a measurement. */
  readonly predicted: boolean;
}

/** Curve points of every sweep: levels with at least one success, p50 ms/token. */
export function curvePoints(sweeps: readonly SweepResult[]): CurvePoint[] {
  return sweeps.flatMap((s) =>
    [...s.levels]
      .filter((l) => l.ok > 0)
      .sort((a, b) => a.concurrency - b.concurrency)
      .map((l) => ({
        configuration: s.label,
        concurrency: l.concurrency,
        throughputTokensPerS: l.throughputTokensPerS,
        latencyMsPerToken: l.latencyMsPerToken.p50,
        predicted: s.target.kind === 'predicted',
        ...(s.knee?.concurrency === l.concurrency ? { knee: `knee (${s.knee.rule})` } : {}),
      })),
  );
}

const X = { field: 'throughputTokensPerS', type: 'quantitative', title: 'Throughput (output tokens/s)' } as const;
const Y = { field: 'latencyMsPerToken', type: 'quantitative', title: 'Latency (ms/token, p50)' } as const;
const COLOR = { field: 'configuration', type: 'nominal', title: 'Configuration', legend: { labelLimit: 360, orient: 'bottom', direction: 'vertical' } } as const;

/**
 * Vega-Lite spec of the study's chart: throughput on x, p50 ms/token on y, one line per
 * configuration (dashed for planner predictions), each point labelled with its concurrency, the knee
 * marked by a black diamond.
 */
export function curveChartSpec(sweeps: readonly SweepResult[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Latency vs throughput by concurrency',
    width: 640,
    height: 400,
    background: 'white',
    data: { values: curvePoints(sweeps) },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: {
          x: X,
          y: Y,
          color: COLOR,
          order: { field: 'concurrency', type: 'quantitative' },
          strokeDash: { condition: { test: 'datum.predicted', value: [6, 4] }, value: [1, 0] },
        },
      },
      {
        mark: { type: 'text', dx: -7, dy: -9, align: 'right', fontSize: 10 },
        encoding: { x: X, y: Y, color: COLOR, text: { field: 'concurrency', type: 'quantitative' } },
      },
      {
        transform: [{ filter: 'isValid(datum.knee)' }],
        mark: { type: 'point', shape: 'diamond', size: 260, filled: false, strokeWidth: 2, color: 'black' },
        encoding: { x: X, y: Y },
      },
      {
        transform: [{ filter: 'isValid(datum.knee)' }],
        mark: { type: 'text', dx: 10, dy: 10, align: 'left', fontSize: 10, fontWeight: 'bold', color: 'black' },
        encoding: { x: X, y: Y, text: { field: 'knee', type: 'nominal' } },
      },
    ],
  };
}
