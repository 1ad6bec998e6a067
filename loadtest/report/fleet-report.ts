import type { FleetDeploymentSummary, FleetReport } from '../../lib/results/fleet-summary';
import type { SweepResult } from '../../lib/results/records';
import type { ScenarioFigures } from '../../lib/results/scenario';
import { formatMeasure, formatUsd, MISSING } from './format';
import { escapeHtml, htmlTable, HTML_STYLE } from './html';
import { markdownTable } from './markdown';
import { buildReportModel, type ReportTable } from './report-model';
import { renderSvg } from './svg';

/** File names of a fleet report, in its folder (`fleets/{fleet}/{runId}/` or `latest/{fleet}/`). */
export const FLEET_REPORT_FILES = {
  html: 'fleet-report.html',
  markdown: 'fleet-report.md',
  json: 'fleet-report.json',
  svg: 'fleet-curve.svg',
} as const;

export type FleetReportFileKind = keyof typeof FLEET_REPORT_FILES;

/** Tables of the deployments' comparison taken from the per-sweep report model, in reading order (gpu-utilization only when levels carry CloudWatch telemetry). */
const COMPARISON_TABLES = ['throughput', 'gpu-utilization', 'latency', 'recommendations', 'knees', 'prices', 'errors'] as const;

const STATUS_TEXT: Record<FleetDeploymentSummary['status'], string> = {
  completed: 'completed',
  'stopped-early': 'stopped early',
  failed: 'FAILED',
  missing: 'no results',
};

function deploymentsTable(report: FleetReport): ReportTable {
  const d = report.deployments;
  return {
    id: 'deployments',
    title: 'Deployments',
    caption:
      'Max throughput and min latency are taken at feasible levels (no timeouts, errors within the allowance); ' +
      'USD per 1M tokens at max throughput. Each deployment links to its own report.',
    headers: ['Deployment', 'Status', 'Instance', 'TP', 'Copies', 'Instances', 'Max tokens/s', 'at c', 'Min ms/token', 'at c', 'Knee c', 'Max feasible c', 'USD/h', 'USD per 1M tokens', 'Reason'],
    rows: d.map((x) => [
      x.id,
      STATUS_TEXT[x.status],
      x.instanceType ?? MISSING,
      String(x.tp ?? MISSING),
      String(x.copies ?? MISSING),
      String(x.instances ?? MISSING),
      formatMeasure(x.maxThroughput?.tokensPerS),
      String(x.maxThroughput?.concurrency ?? MISSING),
      formatMeasure(x.minLatency?.msPerToken),
      String(x.minLatency?.concurrency ?? MISSING),
      x.knee ? `${x.knee.concurrency} (${x.knee.rule})` : MISSING,
      String(x.maxFeasibleConcurrency ?? MISSING),
      formatUsd(x.hourlyUsd),
      formatUsd(x.usdPerMillionTokens),
      x.reason ?? '',
    ]),
    rowLinks: d.map((x) => x.report),
  };
}

/** A deployment's newest scenario of one kind (latest/{deployment}/scenarios/{kind}.json), as the fleet report shows it. */
export interface FleetScenarioRow {
  readonly deploymentId: string;
  readonly kind: string;
  readonly runId: string;
  readonly finishedAt: string;
  readonly figures: ScenarioFigures;
  /** The scenario's report, relative to the fleet report. */
  readonly report?: string;
}

const seconds = (v: number | undefined): string => (v === undefined ? MISSING : v.toFixed(1));

/** Each deployment's latest scenario figures (docs/scenarios.md explains each). */
export function scenariosTable(rows: readonly FleetScenarioRow[]): ReportTable {
  return {
    id: 'scenarios',
    title: 'Autoscaling scenarios',
    caption:
      "Each deployment's latest run of each scenario (scaling enabled). Times in endpoint seconds: from the first SLO breach or policy trigger to the first added copy in service " +
      'and to full capacity; cold start from the first request after scale to zero to the first success. Each row links to its scenario report.',
    headers: ['Deployment', 'Scenario', 'Run', 'Time to first added capacity (s)', 'Time to full capacity (s)', 'Cold start (s)', 'Copies', 'Failed during scaling', 'No capacity', 'Requests ok', 'USD spent'],
    rows: rows.map((r) => [
      r.deploymentId,
      r.kind,
      r.runId,
      seconds(r.figures.timeToFirstAddedCapacityS),
      seconds(r.figures.timeToFullCapacityS),
      seconds(r.figures.coldStartS),
      `${r.figures.startCapacity} → ${r.figures.peakCapacity}`,
      String(r.figures.failedDuringScaling),
      String(r.figures.noCapacityFailures),
      `${r.figures.ok} of ${r.figures.requests}`,
      formatUsd(r.figures.costUsd),
    ]),
    rowLinks: rows.map((r) => r.report),
  };
}

function banners(report: FleetReport): string[] {
  return report.deployments
    .filter((d) => d.status === 'failed' || d.status === 'missing')
    .map((d) => `Deployment '${d.id}' ${d.status === 'failed' ? 'failed' : 'has no results'}: ${d.reason ?? 'unknown reason'}`);
}

function title(report: FleetReport): string {
  return `Fleet report: ${report.fleet}${report.runId ? ` (run ${report.runId})` : ''}`;
}

/** The fleet's tables: deployments side by side, then the study's comparison tables. */
function fleetTables(report: FleetReport, sweeps: readonly SweepResult[]): ReportTable[] {
  const model = buildReportModel(sweeps, { latencyBoundMsPerToken: report.latencyBoundMsPerToken });
  const byId = new Map(model.tables.map((t) => [t.id, t]));
  return [deploymentsTable(report), ...COMPARISON_TABLES.flatMap((id) => (byId.has(id) ? [byId.get(id) as ReportTable] : []))];
}

async function chartOrNote(sweeps: readonly SweepResult[]): Promise<{ svg?: string; note?: string }> {
  if (sweeps.length === 0) return { note: 'No deployment has measured levels to chart.' };
  try {
    return { svg: await renderSvg(sweeps) };
  } catch (error) {
    return { note: `The chart could not be rendered: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Renders the fleet report's files (name → contents): Markdown and HTML with every deployment side
 * by side, the chart of every deployment's curve with its knee marked, and the JSON record. Pure
 * apart from the chart renderer; a chart failure becomes a note, never a missing report.
 */
export async function renderFleetReportFiles(report: FleetReport, sweeps: readonly SweepResult[], scenarios: readonly FleetScenarioRow[] = []): Promise<Record<string, string>> {
  const sweepTables = fleetTables(report, sweeps);
  // The scenarios' figures, when any deployment has run one, follow the deployments table.
  const tables = scenarios.length > 0 ? [sweepTables[0] as ReportTable, scenariosTable(scenarios), ...sweepTables.slice(1)] : sweepTables;
  const chart = await chartOrNote(sweeps);
  const notes = banners(report);
  const markdown = [
    `# ${title(report)}`,
    '',
    `Generated ${report.generatedAt}. Latency bound for recommendations: p50 ${report.latencyBoundMsPerToken} ms/token.`,
    '',
    ...notes.flatMap((b) => [`> **${b}**`, '']),
    chart.svg ? `![Latency vs throughput of every deployment](${FLEET_REPORT_FILES.svg})\n` : `_${chart.note}_\n`,
    ...tables.map(markdownTable),
  ].join('\n');
  const [deployments, ...rest] = tables;
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title(report))}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title(report))}</h1>`,
    `<p class="caption">Generated ${escapeHtml(report.generatedAt)}. Latency bound for recommendations: p50 ${report.latencyBoundMsPerToken} ms/token.</p>`,
    ...notes.map((b) => `<p class="banner">${escapeHtml(b)}</p>`),
    htmlTable(deployments),
    chart.svg ? `<figure>${chart.svg}</figure>` : `<p class="caption">${escapeHtml(chart.note ?? '')}</p>`,
    ...rest.map(htmlTable),
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return {
    [FLEET_REPORT_FILES.markdown]: `${markdown.trimEnd()}\n`,
    [FLEET_REPORT_FILES.html]: html,
    [FLEET_REPORT_FILES.json]: `${JSON.stringify(scenarios.length > 0 ? { ...report, scenarios } : report, null, 2)}\n`,
    ...(chart.svg ? { [FLEET_REPORT_FILES.svg]: chart.svg } : {}),
  };
}
