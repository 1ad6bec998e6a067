import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ScenarioFigures, ScenarioResult } from '../../lib/results/scenario';
import { MISSING } from '../report/format';
import { escapeHtml, HTML_STYLE } from '../report/html';
import { makeOutputFolder } from '../report/output-folder';
import { renderScenarioSvg } from './chart';
import { serverSectionHtml, serverSectionMarkdown } from './server-section';

/** File names of a scenario's results, once. */
export const SCENARIO_FILES = { json: 'scenario.json', markdown: 'scenario.md', html: 'scenario.html', svg: 'scenario.svg', csv: 'scenario-series.csv' } as const;
export type ScenarioFileKind = keyof typeof SCENARIO_FILES;

/** Content types of the scenario files (as the results store serves them). */
export const SCENARIO_CONTENT_TYPES: Readonly<Record<ScenarioFileKind, string>> = {
  json: 'application/json',
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
  csv: 'text/csv; charset=utf-8',
};

const s = (v: number | undefined, digits = 1): string => (v === undefined ? MISSING : `${v.toFixed(digits)} s`);

/** The derived figures as rows: name, value, what it means (docs/scenarios.md explains each). */
export function figureRows(f: ScenarioFigures, result: ScenarioResult): [string, string, string][] {
  const kinds = Object.entries(f.failedByKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  return [
    ['timeToFirstAddedCapacityS', s(f.timeToFirstAddedCapacityS), 'first SLO breach or policy trigger → first new copy in service'],
    ['timeToFullCapacityS', s(f.timeToFullCapacityS), 'same origin → the most copies the scenario reached in service'],
    ['coldStartS', s(f.coldStartS), 'first request after scale to zero → first success'],
    ['triggerAtS', s(f.triggerAtS), 'first scaling activity adding capacity started'],
    ['sloBreachAtS', s(f.sloBreachAtS), `first window with p99 over the SLO${result.spec.sloP99LatencyMs ? ` (${result.spec.sloP99LatencyMs} ms)` : ''} or an error`],
    ['firstAddedCapacityAtS', s(f.firstAddedCapacityAtS), 'first new copy in service (DescribeInferenceComponent)'],
    ['capacity', `${f.startCapacity} → ${f.peakCapacity} ${result.capacityUnit ?? 'copies'}`, `${result.capacityUnit ?? 'copies'} in service at the start and at the most`],
    ['failedDuringScaling', String(f.failedDuringScaling), 'requests sent between the origin and full capacity that failed'],
    ['throttledDuringScaling', String(f.throttledDuringScaling), 'of them throttled or overloaded'],
    ['noCapacityFailures', String(f.noCapacityFailures), 'NoCapacityInvocationFailures seen by the client'],
    ['requests', `${f.ok} ok of ${f.requests}`, `failed by kind: ${kinds}`],
    ['costUsd', `$${f.costUsd.toFixed(2)}`, `${f.instanceHours.toFixed(3)} instance-hours × $${result.hourlyUsd.toFixed(2)}/h (${result.priceSource})`],
  ];
}

function context(result: ScenarioResult): string[] {
  const sp = result.spec;
  const load = sp.load === 'rate' ? `open-loop rate (${sp.arrival ?? 'poisson'} arrivals${sp.burstiness !== undefined ? `, burstiness ${sp.burstiness}` : ''}, seed ${sp.seed ?? 1}) ${sp.from} → ${sp.to} requests/s` : `concurrency ${sp.from} → ${sp.to}`;
  const lines = [
    ...(result.failure ? [`**Partial report: the run failed in ${result.failure.state}** (${result.failure.error}${result.failure.cause ? `: ${result.failure.cause}` : ''}); what follows is what was measured until then.`] : []),
    `Scenario **${sp.kind}**: ${load} over ${sp.overS} s, held ${sp.holdS} s, falling over ${sp.fallS} s (idle ${sp.idleS} s first); sampled every ${sp.sampleS} s; ${result.payload.inputTokens} input / ${result.payload.outputTokens} output tokens.`,
    `Target: ${result.target.address}${result.target.speedup && result.target.speedup !== 1 ? ` (local twin, ${result.target.speedup}× time compression; times are endpoint time)` : ''}. Started ${result.startedAt}, ${result.durationS.toFixed(0)} s.`,
  ];
  const p = result.policy;
  if (p) lines.push(`Policy: ${p.metricType ?? 'metric not recorded'}${p.targetValue !== undefined ? ` target ${p.targetValue}` : ''}, ${result.capacityUnit === 'instances' ? 'instances' : 'copies'} ${p.minCapacity}–${p.maxCapacity}${p.scaleOutCooldownS !== undefined ? `, cooldowns out ${p.scaleOutCooldownS} s / in ${p.scaleInCooldownS} s` : ''}.`);
  if (result.capacityModel) lines.push(`Modelled capacity (twin): one copy loads in ${result.capacityModel.copyLoadS.toFixed(1)} s, one instance in ${result.capacityModel.instanceAddS.toFixed(0)} s (assumptions in scenario.json \`capacityModel\`).`);
  return lines;
}

export function scenarioMarkdown(result: ScenarioResult): string {
  const out = [`# Scenario: ${result.spec.kind}${result.deployment ? ` on ${result.deployment.id}` : ''}`, '', ...context(result).map((l) => `${l}\n`), `![scenario over time](${SCENARIO_FILES.svg})`, '', '## Derived figures', '', '| figure | value | meaning |', '|---|---|---|'];
  for (const [name, value, meaning] of figureRows(result.figures, result)) out.push(`| ${name} | ${value} | ${meaning} |`);
  out.push('', ...serverSectionMarkdown(result));
  out.push('## Scaling activities (DescribeScalingActivities)', '', '| start (s) | end (s) | status | description | cause |', '|---|---|---|---|---|');
  for (const a of result.activities) out.push(`| ${a.startS.toFixed(1)} | ${a.endS?.toFixed(1) ?? MISSING} | ${a.statusCode} | ${a.description} | ${a.cause.replace(/\|/g, '/')} |`);
  out.push('');
  return out.join('\n');
}

export function scenarioHtml(result: ScenarioResult, svg: string): string {
  const rows = figureRows(result.figures, result).map(([n, v, m]) => `<tr><td>${escapeHtml(n)}</td><td class="num">${escapeHtml(v)}</td><td>${escapeHtml(m)}</td></tr>`).join('\n');
  const acts = result.activities.map((a) => `<tr><td class="num">${a.startS.toFixed(1)}</td><td class="num">${a.endS?.toFixed(1) ?? MISSING}</td><td>${escapeHtml(a.statusCode)}</td><td>${escapeHtml(a.description)}</td><td>${escapeHtml(a.cause)}</td></tr>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Scenario ${escapeHtml(result.spec.kind)}</title><style>${HTML_STYLE}</style></head><body>
<h1>Scenario: ${escapeHtml(result.spec.kind)}${result.deployment ? ` on ${escapeHtml(result.deployment.id)}` : ''}</h1>
${context(result).map((l) => `<p>${escapeHtml(l.replace(/\*\*|`/g, ''))}</p>`).join('\n')}
<figure>${svg}</figure>
<h2>Derived figures</h2><table><tr><th>figure</th><th>value</th><th>meaning</th></tr>${rows}</table>
${serverSectionHtml(result)}<h2>Scaling activities</h2><table><tr><th>start (s)</th><th>end (s)</th><th>status</th><th>description</th><th>cause</th></tr>${acts}</table>
</body></html>
`;
}

/** The time series as CSV: one row per sample (capacity, client figures and the endpoint's CloudWatch figures), errors summed. */
export function scenarioSeriesCsv(result: ScenarioResult): string {
  const header = ['tS', 'offeredConcurrency', 'achievedConcurrency', 'completed', 'ok', 'tokensPerS', 'latencyP50Ms', 'latencyP99Ms', 'errors', 'noCapacity', 'copiesInService', 'copiesDesired', 'instancesInService', 'instancesDesired', 'offeredRatePerS', 'sentRatePerS', 'achievedRatePerS', 'gpuUtilizationPct', 'modelLatencyMs', 'overheadLatencyMs', 'concurrentRequestsPerCopy'];
  const cell = (v: number | undefined, digits = 3): string => (v === undefined ? '' : String(Number(v.toFixed(digits))));
  const rows = result.samples.map((x) =>
    [
      cell(x.tS),
      String(x.offeredConcurrency),
      cell(x.achievedConcurrency),
      String(x.completed),
      String(x.ok),
      cell(x.tokensPerS),
      cell(x.latencyP50Ms),
      cell(x.latencyP99Ms),
      String(Object.values(x.errors).reduce((a: number, b) => a + (b ?? 0), 0)),
      String(x.errors.no_capacity ?? 0),
      cell(x.copiesInService),
      cell(x.copiesDesired),
      cell(x.instancesInService),
      cell(x.instancesDesired),
      cell(x.offeredRatePerS),
      cell(x.sentRatePerS),
      cell(x.achievedRatePerS),
      cell(x.gpuUtilizationPct),
      cell(x.modelLatencyMs),
      cell(x.overheadLatencyMs),
      cell(x.concurrentRequestsPerCopy),
    ].join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

/** The scenario's files by kind: scenario.json, its report (markdown, HTML with the chart, SVG) and the time series as CSV. */
export async function renderScenarioFiles(result: ScenarioResult): Promise<Record<ScenarioFileKind, string>> {
  const svg = await renderScenarioSvg(result);
  return {
    json: `${JSON.stringify(result, null, 2)}\n`,
    markdown: scenarioMarkdown(result),
    html: scenarioHtml(result, svg),
    svg,
    csv: scenarioSeriesCsv(result),
  };
}

/** Writes the scenario's files (renderScenarioFiles) into `dir`; returns their paths. */
export async function writeScenarioFiles(dir: string, result: ScenarioResult): Promise<Record<ScenarioFileKind, string>> {
  makeOutputFolder(dir);
  const bodies = await renderScenarioFiles(result);
  const files = {} as Record<ScenarioFileKind, string>;
  for (const kind of Object.keys(SCENARIO_FILES) as ScenarioFileKind[]) {
    files[kind] = path.join(dir, SCENARIO_FILES[kind]);
    await fs.writeFile(files[kind], bodies[kind]);
  }
  return files;
}
