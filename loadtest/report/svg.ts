import type { SweepResult } from '../../lib/results/records';
import { curveChartSpec } from './chart-spec';

/**
 * The latency-throughput chart as a standalone SVG document, rendered server-side:
 * Vega-Lite compiles the spec to Vega, and a headless Vega view (renderer 'none', no canvas) emits SVG.
 * Vega and Vega-Lite are loaded on first use: they take about a second to load, and every CLI
 * command (`--help` included) reaches this module through write-report.
 */
export async function renderSvg(sweeps: readonly SweepResult[]): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(curveChartSpec(sweeps)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
