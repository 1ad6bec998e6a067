import type { ScenarioResult } from '../../lib/results/scenario';
import type { ServerTelemetry } from '../../lib/results/server-telemetry';
import { MISSING } from '../report/format';
import { escapeHtml } from '../report/html';

/** The scenario report's "Endpoint telemetry (CloudWatch)" section: the whole run, each window, and the notes. */

const pct = (v: number | undefined): string => (v === undefined ? MISSING : `${v.toFixed(1)} %`);
const ms = (v: number | undefined): string => (v === undefined ? MISSING : `${v.toFixed(1)} ms`);
const num = (v: number | undefined, digits = 2): string => (v === undefined ? MISSING : v.toFixed(digits));

const HEADER = ['span', 'GPU util. (per GPU)', 'GPU memory', 'ModelLatency mean', 'OverheadLatency mean', 'max concurrent / copy', 'invocations', 'period'];

function row(span: string, t: ServerTelemetry): string[] {
  return [span, pct(t.gpuUtilizationPct), pct(t.gpuMemoryUtilizationPct), ms(t.modelLatencyMs?.mean), ms(t.overheadLatencyMs?.mean), num(t.concurrentRequestsMax), num(t.invocations, 0), `${t.periodS} s`];
}

function rows(result: ScenarioResult): string[][] {
  const server = result.server;
  if (server === undefined) return [];
  return [row(`whole run (0–${result.durationS.toFixed(0)} s)`, server.whole), ...(server.windows ?? []).map((w) => row(`window ${w.index} (${w.fromS.toFixed(0)}–${w.toS.toFixed(0)} s)`, w.server))];
}

function wait(result: ScenarioResult): string | undefined {
  const p = result.server?.publication;
  if (p === undefined) return undefined;
  return p.complete
    ? `Read once the run's last period was published (${p.reads} read${p.reads === 1 ? '' : 's'}, ${p.waitedS} s waited of at most ${p.maxWaitS} s).`
    : `Incomplete: the run's last period was not published after ${p.waitedS} s (at most ${p.maxWaitS} s); the figures cover the earlier periods.`;
}

export function serverSectionMarkdown(result: ScenarioResult): string[] {
  if (result.server === undefined) return [];
  const out = ['## Endpoint telemetry (CloudWatch)', '', `| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const r of rows(result)) out.push(`| ${r.join(' | ')} |`);
  const lines = [wait(result), ...result.server.notes].filter((l): l is string => l !== undefined);
  if (lines.length > 0) out.push('', ...lines.map((l) => `- ${l}`));
  out.push('');
  return out;
}

export function serverSectionHtml(result: ScenarioResult): string {
  if (result.server === undefined) return '';
  const head = `<tr>${HEADER.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows(result)
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<td>${escapeHtml(c)}</td>` : `<td class="num">${escapeHtml(c)}</td>`)).join('')}</tr>`)
    .join('\n');
  const lines = [wait(result), ...result.server.notes].filter((l): l is string => l !== undefined);
  return `<h2>Endpoint telemetry (CloudWatch)</h2><table>${head}${body}</table>${lines.length > 0 ? `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : ''}\n`;
}
