import { UserInputError } from '../../lib/errors';
import { summarizeLevel } from '../../lib/results/summarize-level';
import { formatSlo, meetsSlo, parseSlo } from '../../lib/results/slo';
import { record } from './fixtures';

describe('SLOs', () => {
  it('parses any subset of ttft, itl, e2e and msPerToken', () => {
    expect(parseSlo('ttft=2000,itl=100')).toEqual({ ttftMs: 2000, itlMs: 100 });
    expect(parseSlo('e2e=30000, msPerToken=50')).toEqual({ e2eMs: 30000, msPerToken: 50 });
    expect(formatSlo(parseSlo('itl=100,ttft=2000'))).toBe('ttft=2000,itl=100');
  });

  it.each([
    ['', /at least one bound/],
    ['tbt=5', /unknown SLO 'tbt'; allowed: ttft, itl, e2e, msPerToken/],
    ['ttft=0', /must be a number of ms > 0/],
    ['ttft', /must be a number of ms > 0/],
    ['ttft=1,ttft=2', /'ttft' is given twice/],
  ])('refuses %j naming the field', (text, message) => {
    expect(() => parseSlo(text, '--slo')).toThrow(UserInputError);
    expect(() => parseSlo(text, '--slo')).toThrow(message);
    expect(() => parseSlo(text, '--slo')).toThrow(/^--slo: /);
  });

  it('judges a request on every bound; a bound on a measure the request lacks is not met', () => {
    const slo = { ttftMs: 100, itlMs: 10 };
    expect(meetsSlo({ ok: true, ttftMs: 100, tpotMs: 10, e2eMs: 1000 }, slo)).toBe(true);
    expect(meetsSlo({ ok: true, ttftMs: 101, tpotMs: 10, e2eMs: 1000 }, slo)).toBe(false);
    expect(meetsSlo({ ok: true, ttftMs: 50, tpotMs: 10.5, e2eMs: 1000 }, slo)).toBe(false);
    expect(meetsSlo({ ok: true, e2eMs: 1000 }, slo)).toBe(false);
    expect(meetsSlo({ ok: false, ttftMs: 1, tpotMs: 1, e2eMs: 1 }, slo)).toBe(false);
    expect(meetsSlo({ ok: true, e2eMs: 1000, msPerToken: 10 }, { e2eMs: 1000, msPerToken: 10 })).toBe(true);
  });
});

describe('goodput of a level', () => {
  // Four streamed requests of 11 tokens over a 10 s window (sent at 0, ends by 10 000 ms), one failed.
  const records = [
    // TTFT 500, TPOT (1500 − 500) / 10 = 100: meets ttft=1000,itl=100.
    record({ sentMs: 0, firstTokenMs: 500, endMs: 1500, outputTokens: 11 }),
    // TTFT 1200: misses ttft.
    record({ sentMs: 1000, firstTokenMs: 2200, endMs: 3000, outputTokens: 11 }),
    // TTFT 100, TPOT (2100 − 100) / 10 = 200: misses itl.
    record({ sentMs: 2000, firstTokenMs: 2100, endMs: 4100, outputTokens: 11 }),
    // Meets both: TTFT 200, TPOT 50.
    record({ sentMs: 9000, firstTokenMs: 9200, endMs: 9700, outputTokens: 11 }),
    record({ sentMs: 9500, endMs: 10000, outputTokens: 0, error: 'overloaded' }),
  ];

  it('counts requests and tokens meeting every SLO per second, and the attainment over all measured requests', () => {
    const level = summarizeLevel(records, { concurrency: 4, slo: { ttftMs: 1000, itlMs: 100 } });
    expect(level.durationS).toBe(10);
    expect(level.slo).toEqual({ ttftMs: 1000, itlMs: 100 });
    expect(level.goodput).toEqual({ requestsPerS: 0.2, tokensPerS: 2.2, attainment: 2 / 5 });
    expect(level.throughputTokensPerS).toBeCloseTo(4.4, 12);
  });

  it('scales the judged measures to endpoint time on a time-compressed endpoint', () => {
    // At speedup 2 every TTFT doubles: only the last request (TTFT 400, TPOT 100) meets ttft=1000,itl=100.
    const level = summarizeLevel(records, { concurrency: 4, speedup: 2, slo: { ttftMs: 1000, itlMs: 100 } });
    expect(level.goodput?.attainment).toBe(1 / 5);
    expect(level.goodput?.requestsPerS).toBeCloseTo(1 / 20, 12);
  });

  it('has no goodput without SLOs', () => {
    expect(summarizeLevel(records, { concurrency: 4 }).goodput).toBeUndefined();
  });
});
