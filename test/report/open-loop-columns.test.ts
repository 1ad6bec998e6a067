import { clientVerdict } from '../../lib/results/client-verdict';
import { CSV_HEADERS, renderCsv } from '../../loadtest/report/csv';
import { renderMarkdown } from '../../loadtest/report/markdown';
import { g5Sweep } from './fixtures';

describe('report columns of open-loop levels', () => {
  const base = g5Sweep();
  const levels = base.levels.slice(0, 2).map((l, i) => ({
    ...l,
    offeredRatePerS: [0.5, 1][i],
    achievedRatePerS: [0.49, 1.02][i],
    goodput: { requestsPerS: 0.4, tokensPerS: 100, attainment: [0.95, 0.5][i] },
    client: i === 0 ? clientVerdict({ sendLagMsP99: 1, eventLoopDelayMsP99: 2, cpuPct: 10 }) : clientVerdict({ sendLagMsP99: 80, eventLoopDelayMsP99: 2, cpuPct: 10 }),
  }));
  const sweep = { ...base, levels };

  it('name levels by offered rate, show achieved rate, attainment, goodput, and flag client-bound levels', () => {
    const md = renderMarkdown([sweep]);
    expect(md).toMatch(/\| Offered req\/s \| Achieved req\/s \| Requests \|.*\| SLO attainment % \| Goodput tokens\/s \|.*\| Client \|/);
    expect(md).toMatch(/\| 0\.5 \| 0\.49 \|.*\| 95 \| 100 \|.*\| ok \|/);
    expect(md).toMatch(/\| 1 \| 1\.0 \|.*\| 50 \| 100 \|.*\| CLIENT-BOUND \(send lag p99 80\.0 ms > 25 ms\) \|/);
    const row = renderCsv([sweep]).split('\r\n')[2].split(',');
    expect(row[CSV_HEADERS.indexOf('client.verdict')]).toBe('client-bound');
    expect(row[CSV_HEADERS.indexOf('offeredRatePerS')]).toBe('1');
    expect(row[CSV_HEADERS.indexOf('goodput.attainment')]).toBe('0.5');
  });
});
