import { summarizeLevel } from '../../lib/results/summarize-level';
import { summarizeSweep } from '../../lib/results/summarize-sweep';
import type { RequestRecord } from '../../lib/results/records';
import { curvePoints } from '../../loadtest/report/chart-spec';
import { CSV_HEADERS, renderCsv } from '../../loadtest/report/csv';
import { renderMarkdown } from '../../loadtest/report/markdown';
import { record } from '../results/fixtures';

/** c streamed requests per worker round, each 10 tokens one per read: TTFT 100 ms, then 20 × c ms per token. */
function streamedLevel(concurrency: number, rounds: number): RequestRecord[] {
  const out: RequestRecord[] = [];
  const e2e = 100 + 9 * 20 * concurrency;
  for (let w = 0; w < concurrency; w++) {
    for (let seq = 0; seq < rounds; seq++) {
      const sentMs = seq * e2e;
      const chunks = { chunkTokens: Array<number>(10).fill(1), interChunkGapsMs: Array<number>(9).fill(20 * concurrency) };
      out.push(record({ concurrency, worker: w, seq, sentMs, scheduledMs: sentMs, firstTokenMs: sentMs + 100, endMs: sentMs + e2e, outputTokens: 10, ...chunks }));
    }
  }
  return out;
}

describe('records → level → sweep → report', () => {
  const levels = [1, 2].map((c) => summarizeLevel(streamedLevel(c, 5), { concurrency: c, speedup: 10 }));
  const sweep = summarizeSweep({
    label: 'local twin',
    target: { kind: 'tgi-stream', address: 'http://127.0.0.1:1', speedup: 10 },
    payload: { inputTokens: 32, outputTokens: 10 },
    startedAt: '2026-01-01T00:00:00.000Z',
    levels,
  });

  it('carries real-time-scaled figures into the tables', () => {
    // c = 1: e2e 280 ms ×10 = 2800 ms for 10 tokens → 280 ms/token; 5 requests in 1.4 s × 10 = 14 s → 50 tokens / 14 s.
    expect(levels[0].latencyMsPerToken.p50).toBeCloseTo(280, 9);
    expect(levels[0].throughputTokensPerS).toBeCloseTo(50 / 14, 9);
    expect(levels[0].ttftMs?.p50).toBeCloseTo(1000, 9);
    expect(levels[0].itlMs?.p50).toBeCloseTo(200, 9);
    expect(levels[0].tpotMs?.p50).toBeCloseTo(200, 9);
    const md = renderMarkdown([sweep]);
    expect(md).toContain('| c | Requests | OK | Requests/s | Tokens/s | ms/token mean | p50 | p90 | p99 | e2e ms p50 | e2e ms p99 | TTFT ms p50 | TTFT ms p99 | ITL ms p50 | ITL ms p99 | TPOT ms p50 |');
    expect(md).toContain('| 1 | 5 | 5 | 0.36 | 3.6 | 280 | 280 | 280 | 280 | 2800 | 2800 | 1000 | 1000 | 200 | 200 | 200 | 0 | 14 |');
    const csvRow = renderCsv([sweep]).split('\r\n')[1].split(',');
    expect(csvRow[CSV_HEADERS.indexOf('ttftMs.p50')]).toBe('1000');
    expect(csvRow[CSV_HEADERS.indexOf('requests')]).toBe('5');
  });

  it('flags predicted sweeps so the chart draws them dashed', () => {
    expect(curvePoints([sweep]).every((p) => !p.predicted)).toBe(true);
    expect(curvePoints([{ ...sweep, target: { kind: 'predicted', address: 'predict:x' } }]).every((p) => p.predicted)).toBe(true);
  });
});
