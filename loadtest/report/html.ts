import type { SweepResult } from '../../lib/results/records';
import { buildReportModel, isNumericColumn, type ReportOptions, type ReportTable } from './report-model';
import { renderSvg } from './svg';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export const HTML_STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #1a1a1a; max-width: 90rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f2f2f2; }
tr:nth-child(even) td { background: #fafafa; }
.banner { border-left: 4px solid #c62828; background: #fdecea; padding: 0.5rem 1rem; margin: 0.5rem 0; font-weight: 600; }
.caption { color: #555; font-size: 0.85rem; }
figure { margin: 1rem 0; }
`;

export function htmlTable(table: ReportTable): string {
  const parts = [`<section id="${escapeHtml(table.id)}">`, `<h2>${escapeHtml(table.title)}</h2>`];
  if (table.caption) parts.push(`<p class="caption">${escapeHtml(table.caption)}</p>`);
  if (table.rows.length > 0) {
    const cls = table.headers.map((_, i) => (isNumericColumn(table, i) ? ' class="num"' : ''));
    parts.push('<table>', `<thead><tr>${table.headers.map((h, i) => `<th${cls[i]}>${escapeHtml(h)}</th>`).join('')}</tr></thead>`, '<tbody>');
    table.rows.forEach((row, r) => {
      const link = table.rowLinks?.[r];
      const cellHtml = (c: string, i: number): string =>
        i === 0 && link !== undefined ? `<a href="${escapeHtml(encodeURI(link))}">${escapeHtml(c)}</a>` : escapeHtml(c);
      parts.push(`<tr>${row.map((c, i) => `<td${cls[i]}>${cellHtml(c, i)}</td>`).join('')}</tr>`);
    });
    parts.push('</tbody>', '</table>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

export interface HtmlOptions extends ReportOptions {
  /** The chart already rendered by renderSvg for these sweeps (saves rendering it twice). */
  readonly svg?: string;
}

/**
 * A self-contained HTML page: inline CSS, the chart as inline SVG, the report's tables as HTML
 * tables; no script and no external asset, so it opens offline and can be attached anywhere.
 */
export async function renderHtml(sweeps: readonly SweepResult[], opts: HtmlOptions = {}): Promise<string> {
  const model = buildReportModel(sweeps, opts);
  const svg = opts.svg ?? (await renderSvg(sweeps));
  const [configurations, ...rest] = model.tables;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(model.title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(model.title)}</h1>`,
    ...model.banners.map((b) => `<p class="banner">${escapeHtml(b)}</p>`),
    htmlTable(configurations),
    `<figure>${svg}</figure>`,
    ...rest.map(htmlTable),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
