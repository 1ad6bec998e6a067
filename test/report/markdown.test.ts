import { renderMarkdown } from '../../loadtest/report/markdown';
import { g512Sweep, g5Sweep } from './fixtures';

function section(markdown: string, title: string): string[] {
  const start = markdown.indexOf(`## ${title}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 3);
  return markdown.slice(start, end < 0 ? undefined : end).split('\n').filter((l) => l.startsWith('|'));
}

describe('renderMarkdown', () => {
  const md = renderMarkdown([g5Sweep(), g512Sweep()]);

  it('lays out throughput like the study: rows = configuration, columns = concurrency', () => {
    const rows = section(md, 'Throughput');
    expect(rows[0]).toBe('| Configuration | 1 | 2 | 4 | 8 | 16 | 32 | 64 | 128 |');
    expect(rows[1]).toBe('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    expect(rows[2]).toBe('| llama-2-7b \\| g5.2xlarge | 30 | 54 | 115 | 208 | 343 | 475 | 486 | — |');
    expect(rows[3]).toBe('| llama-2-7b g5.12xlarge tp4 | 59 | 117 | 223 | 406 | 616 | 866 | 1098 | 1214* |');
  });

  it('marks infeasible levels (timeouts) with * and explains the mark', () => {
    expect(md).toMatch(/## Throughput[^\n]*\n\nCells marked \* are not feasible levels \(timeouts, or errors above the 1 % allowance\)/);
    const latency = section(md, 'Latency');
    expect(latency[3]).toMatch(/\| \d+\* \|$/);
    expect(latency[2]).not.toContain('*');
  });

  it('puts the latency table after the throughput table', () => {
    expect(md.indexOf('## Latency')).toBeGreaterThan(md.indexOf('## Throughput'));
    const rows = section(md, 'Latency');
    expect(rows[2]).toBe('| llama-2-7b \\| g5.2xlarge | 33 | 33 | 35 | 39 | 48 | 97 | 159 | — |');
  });

  it('summarises each sweep: max throughput @c, min latency, max feasible c, knee + rule, cost, level- and instance-seconds', () => {
    const rows = section(md, 'Summary');
    // Level-seconds of a sweep whose levels predate levelSeconds: their windows (7 levels of 60 s), on one instance.
    expect(rows[2]).toBe(
      '| llama-2-7b \\| g5.2xlarge | 486 | 64 | 33 | 1 | 64 | 32 | latency-bound (p50 ms/token < 100) | 1.515 | 0.866 | 420 | 420 | — |',
    );
    expect(rows[3]).toContain('| 1098 | 64 | 17 | 1 | 64 | 64 | latency-bound');
    expect(rows[3]).toContain('| timeout |');
  });

  it('lists recommendations and errors by kind', () => {
    const recs = section(md, 'Recommendations');
    expect(recs.some((r) => r.startsWith('| min-cost-per-million | llama-2-7b \\| g5.2xlarge | 64 | 0.866 USD/1M tokens'))).toBe(true);
    expect(recs.some((r) => r.startsWith('| max-throughput | llama-2-7b g5.12xlarge tp4 | 64 | 1098 tokens/s'))).toBe(true);
    const errors = section(md, 'Errors by kind');
    expect(errors[0]).toBe('| Configuration | c | Requests | OK | overloaded | timeout | Retries |');
    expect(errors[2]).toBe('| llama-2-7b g5.12xlarge tp4 | 128 | 100 | 90 | 8 | 2 | 4 |');
  });

  it('shows banners for a failed or early-stopped sweep', () => {
    expect(md).toContain("> **Sweep 'llama-2-7b g5.12xlarge tp4' stopped early: timeout: 2 of 100 requests hit the 60000 ms deadline at c=128**");
    const partial = renderMarkdown([g5Sweep({ failure: { step: 'level c=128', message: 'endpoint deleted' } })]);
    expect(partial).toContain("> **Partial report: sweep 'llama-2-7b \\| g5.2xlarge' failed at level c=128: endpoint deleted**");
    expect(renderMarkdown([g5Sweep({ stopReason: { rule: 'completed', detail: 'every listed level measured' } })])).not.toContain('> **');
  });

  it('says so when no request failed', () => {
    expect(renderMarkdown([g5Sweep()])).toContain('No request failed and none was retried.');
  });
});
