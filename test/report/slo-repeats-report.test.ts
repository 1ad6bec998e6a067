import { intervalOf } from '../../lib/results/confidence';
import { summarizeSweep } from '../../lib/results/summarize-sweep';
import type { LevelResult } from '../../lib/results/records';
import { renderCsv, CSV_HEADERS } from '../../loadtest/report/csv';
import { renderMarkdown } from '../../loadtest/report/markdown';
import { level } from '../results/fixtures';

function section(markdown: string, title: string): string[] {
  const start = markdown.indexOf(`## ${title}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 3);
  return markdown.slice(start, end < 0 ? undefined : end).split('\n').filter((l) => l.startsWith('|'));
}

/** Cells of a Markdown table row. */
const cells = (row: string): string[] => row.slice(2, -2).split(' | ');

/** A level measured three times with these throughputs, judged on SLOs, that cost `levelSeconds` on the endpoint. */
function repeated(c: number, throughputs: number[], goodputTokensPerS: number, attainment: number, levelSeconds: number): LevelResult {
  const t = intervalOf(throughputs);
  const m = intervalOf([30, 31, 32]);
  return {
    ...level(c, t.mean, 31),
    repeats: { n: 3, throughputTokensPerS: t, msPerTokenP50: m },
    slo: { e2eMs: 5000 },
    goodput: { requestsPerS: goodputTokensPerS / 256, tokensPerS: goodputTokensPerS, attainment },
    levelSeconds,
  };
}

describe('reports: SLO figures, repeats\' 95 % CIs and level cost', () => {
  const sweep = summarizeSweep({
    label: 'g5',
    target: { kind: 'tgi', address: 'http://x' },
    payload: { inputTokens: 256, outputTokens: 256 },
    startedAt: '2026-01-01T00:00:00.000Z',
    deployment: { hourlyUsd: 1.515, instances: 2 },
    levels: [repeated(1, [29, 30, 31], 30, 1, 70.5), repeated(8, [200, 210, 220], 190, 0.93, 80), repeated(16, [300, 330, 360], 250, 0.7, 99.5)],
  });
  const md = renderMarkdown([sweep]);

  it('the summary shows max goodput, $ per 1M tokens at SLO, level-seconds and instance-seconds', () => {
    const [header, , row] = section(md, 'Summary');
    const named = Object.fromEntries(cells(header).map((h, i) => [`${h}#${cells(header).slice(0, i).filter((x) => x === h).length}`, cells(row)[i]]));
    expect(named['Max goodput (tokens/s)#0']).toBe('250');
    expect(named['at#0']).toBe('16');
    // 1.515e6 / (190 × 3600) = 2.215 USD at c=8, the cheapest level with attainment ≥ 90 %.
    expect(named['USD per 1M tokens at SLO#0']).toBe('2.215');
    expect(named['at#1']).toBe('8 (≥ 90 %)');
    // 70.5 + 80 + 99.5 = 250 level-seconds, × 2 instances.
    expect(named['Level-seconds#0']).toBe('250');
    expect(named['Instance-seconds#0']).toBe('500');
  });

  it('the level table shows each repeated level\'s 95 % CIs and its level seconds', () => {
    const [header, , ...rows] = section(md, 'Levels: g5');
    const h = cells(header);
    const row8 = cells(rows[1]);
    expect(row8[h.indexOf('Repeats')]).toBe('3');
    // 200, 210, 220: mean 210, s = 10, half-width 4.303 × 10 / √3 = 24.8.
    expect(row8[h.indexOf('Tokens/s 95 % CI')]).toBe('210 ± 25');
    expect(row8[h.indexOf('ms/token p50 95 % CI')]).toBe('31 ± 2.5');
    expect(row8[h.indexOf('Level s')]).toBe('80');
    expect(md).toContain('A 95 % CI is mean ± t(0.975, n − 1) × s / √n over the repeats');
  });

  it('the recommendations name the SLO goals', () => {
    const rows = section(md, 'Recommendations').map(cells);
    expect(rows.find((r) => r[0] === 'max-goodput')?.slice(1, 4)).toEqual(['g5', '16', '250 tokens/s']);
    expect(rows.find((r) => r[0] === 'min-cost-per-million-at-slo')?.slice(1, 4)).toEqual(['g5', '8', '2.215 USD/1M tokens']);
  });

  it('the CSV carries levelSeconds and the repeats\' intervals', () => {
    const lines = renderCsv([sweep]).trim().split('\r\n');
    const row8 = lines[2].split(',');
    expect(row8[CSV_HEADERS.indexOf('levelSeconds')]).toBe('80');
    expect(row8[CSV_HEADERS.indexOf('repeats.n')]).toBe('3');
    expect(Number(row8[CSV_HEADERS.indexOf('repeats.throughputTokensPerS.halfWidth95')])).toBeCloseTo((4.303 * 10) / Math.sqrt(3), 9);
  });
});
