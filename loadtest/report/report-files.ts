import type { SweepResult } from '../../lib/results/records';
import { renderCsv } from './csv';
import type { ReportFileKind } from './names';
import { escapeHtml, renderHtml } from './html';
import { renderMarkdown } from './markdown';
import type { ReportOptions } from './report-model';
import { renderSvg } from './svg';

export interface RenderReportOptions extends ReportOptions {
  /** The chart renderer. @default renderSvg (Vega-Lite, headless) */
  readonly renderChart?: (sweeps: readonly SweepResult[]) => Promise<string>;
}

/** The contents of every report file, by kind. */
export type RenderedReport = Readonly<Record<ReportFileKind, string>>;

/** The JSON a sweep.json holds: one SweepResult, or an array when several are compared. */
export function sweepJson(sweeps: readonly SweepResult[]): string {
  return `${JSON.stringify(sweeps.length === 1 ? sweeps[0] : sweeps, null, 2)}\n`;
}

function noteSvg(note: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="40"><text x="10" y="25">${escapeHtml(note)}</text></svg>\n`;
}

/**
 * Every report file of `sweeps`, rendered in memory (no I/O). A chart that cannot be rendered
 * (e.g. a sweep with no level) becomes a note in curve.svg, report.html and report.md instead of
 * an error, so a partial run still gets its tables.
 */
export async function renderReportFiles(sweeps: readonly SweepResult[], opts: RenderReportOptions = {}): Promise<RenderedReport> {
  const { renderChart = renderSvg, ...reportOpts } = opts;
  let svg: string;
  let chartNote: string | undefined;
  try {
    svg = await renderChart(sweeps);
  } catch (error) {
    chartNote = `chart unavailable: ${error instanceof Error ? error.message : String(error)}`;
    svg = noteSvg(chartNote);
  }
  const markdown = renderMarkdown(sweeps, reportOpts);
  return {
    json: sweepJson(sweeps),
    markdown: chartNote === undefined ? markdown : `${markdown.trimEnd()}\n\n> ${chartNote}\n`,
    html: await renderHtml(sweeps, { ...reportOpts, svg }),
    svg,
    csv: renderCsv(sweeps),
  };
}
