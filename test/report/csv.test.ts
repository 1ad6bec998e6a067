import { CSV_HEADERS, renderCsv } from '../../loadtest/report/csv';
import { g512Sweep, g5Sweep } from './fixtures';

describe('renderCsv', () => {
  const csv = renderCsv([g5Sweep(), g512Sweep()]);
  const lines = csv.trimEnd().split('\r\n');

  it('has one header and one row per sweep × level', () => {
    expect(lines).toHaveLength(1 + 7 + 8);
    expect(lines[0]).toBe(CSV_HEADERS.join(','));
    for (const h of ['concurrency', 'requests', 'ok', 'errors.timeout', 'durationS', 'throughputTokensPerS', 'latencyMsPerToken.p50', 'e2eMs.p99', 'ttftMs.p50', 'itlMs.p90', 'clientQueueMs.max', 'timeouts']) {
      expect(CSV_HEADERS).toContain(h);
    }
  });

  it('flattens LevelResult fields and quotes labels with commas or quotes', () => {
    const get = (line: string, header: string): string => {
      // The labels used here contain no comma, so a plain split is exact.
      return line.split(',')[CSV_HEADERS.indexOf(header)];
    };
    const last = lines[lines.length - 1];
    expect(get(last, 'label')).toBe('llama-2-7b g5.12xlarge tp4');
    expect(get(last, 'concurrency')).toBe('128');
    expect(get(last, 'errors.overloaded')).toBe('8');
    expect(get(last, 'errors.timeout')).toBe('2');
    expect(get(last, 'throughputTokensPerS')).toBe('1214');
    expect(get(last, 'latencyMsPerToken.p50')).toBe('110');
    expect(get(last, 'ttftMs.p50')).toBe('');
    expect(get(lines[1], 'speedup')).toBe('20');

    const quoted = renderCsv([g5Sweep({ label: 'a, "b"' })]);
    expect(quoted.split('\r\n')[1].startsWith('"a, ""b""",tgi,')).toBe(true);
  });
});
