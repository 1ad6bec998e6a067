import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { SweepResult } from '../records/types';
import { curveChartSpec } from './chart-spec';

/**
 * The latency-throughput chart as a standalone SVG document, rendered server-side:
 * Vega-Lite compiles the spec to Vega, and a headless Vega view (renderer 'none', no canvas) emits SVG.
 */
export async function renderSvg(sweeps: readonly SweepResult[]): Promise<string> {
  const view = new View(parse(compile(curveChartSpec(sweeps)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
