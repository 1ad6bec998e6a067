import type { SweepResult } from '../../lib/results/records';
import { buildReportModel, isNumericColumn, type ReportOptions, type ReportTable } from './report-model';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function markdownTable(table: ReportTable): string {
  const lines = [`## ${table.title}`, ''];
  if (table.caption) lines.push(table.caption, '');
  if (table.rows.length > 0) {
    lines.push(`| ${table.headers.map(cell).join(' | ')} |`);
    lines.push(`|${table.headers.map((_, i) => (isNumericColumn(table, i) ? ' ---: ' : ' --- ')).join('|')}|`);
    table.rows.forEach((row, r) => {
      const link = table.rowLinks?.[r];
      const cells = row.map((text, i) => (i === 0 && link !== undefined ? `[${cell(text)}](${encodeURI(link)})` : cell(text)));
      lines.push(`| ${cells.join(' | ')} |`);
    });
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * The report as Markdown, laid out like the published study: one row per configuration,
 * one column per concurrency, a throughput table then a latency table, then the summary,
 * knees, recommendations and errors by kind. Partial or early-stopped sweeps get a banner on top.
 */
export function renderMarkdown(sweeps: readonly SweepResult[], opts: ReportOptions = {}): string {
  const model = buildReportModel(sweeps, opts);
  const parts = [`# ${model.title}`, ''];
  for (const banner of model.banners) parts.push(`> **${cell(banner)}**`, '');
  for (const table of model.tables) parts.push(markdownTable(table));
  return `${parts.join('\n').trimEnd()}\n`;
}
