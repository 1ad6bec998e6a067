import { intervalOf, outsideInterval, T_975, tQuantile975, Z_975 } from '../../lib/results/confidence';
import { REQUEST_RECORD_VERSION, type RequestRecord } from '../../lib/results/records';
import { summarizeLevel } from '../../lib/results/summarize-level';

describe('Student t intervals', () => {
  it('pins t(0.975, df) to the NIST table and falls back to z beyond df = 30', () => {
    expect(T_975).toHaveLength(30);
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(2)).toBe(4.303);
    expect(tQuantile975(10)).toBe(2.228);
    expect(tQuantile975(30)).toBe(2.042);
    expect(tQuantile975(31)).toBe(Z_975);
    expect(() => tQuantile975(0)).toThrow('degrees of freedom 0');
  });

  it('computes mean ± t × s / √n', () => {
    // 100, 110, 120: mean 110, s = 10, half-width 4.303 × 10 / √3.
    const interval = intervalOf([100, 110, 120]);
    expect(interval.mean).toBe(110);
    expect(interval.halfWidth95).toBeCloseTo((4.303 * 10) / Math.sqrt(3), 10);
    expect(interval.n).toBe(3);
    expect(outsideInterval(135, interval)).toBe(true);
    expect(outsideInterval(120, interval)).toBe(false);
    expect(intervalOf([5])).toEqual({ mean: 5, halfWidth95: 0, n: 1, values: [5] });
    expect(outsideInterval(500, intervalOf([5]))).toBe(false);
  });
});

describe('summarizeLevel over repeats', () => {
  /** One repeat: `count` sequential requests of `e2eMs`, 100 tokens each, after a gap. */
  function repeatRecords(repeat: number, startMs: number, e2eMs: number, count: number): RequestRecord[] {
    return Array.from({ length: count }, (_, i) => ({
      schemaVersion: REQUEST_RECORD_VERSION,
      concurrency: 1,
      worker: 0,
      seq: i,
      clockOriginMs: 0,
      scheduledMs: startMs + i * e2eMs,
      sentMs: startMs + i * e2eMs,
      firstTokenMs: startMs + i * e2eMs + 50,
      endMs: startMs + (i + 1) * e2eMs,
      inputTokens: 10,
      outputTokens: 100,
      ...(repeat > 0 ? { repeat } : {}),
    }));
  }

  it('gives the mean and 95 % CI of throughput, ms/token p50 and TTFT p50 over three repeats', () => {
    // Repeats of 10 requests of 1000, 1250 and 800 ms: throughput 100, 80 and 125 tokens/s.
    const records = [...repeatRecords(0, 0, 1000, 10), ...repeatRecords(1, 20_000, 1250, 10), ...repeatRecords(2, 40_000, 800, 10)];
    const level = summarizeLevel(records, { concurrency: 1 });
    expect(level.repeats?.n).toBe(3);
    const expected = intervalOf([100, 80, 125]);
    expect(level.repeats?.throughputTokensPerS.mean).toBeCloseTo(expected.mean, 9);
    expect(level.repeats?.throughputTokensPerS.halfWidth95).toBeCloseTo(expected.halfWidth95, 9);
    expect(level.repeats?.msPerTokenP50.values).toEqual([10, 12.5, 8]);
    expect(level.repeats?.ttftMsP50?.values).toEqual([50, 50, 50]);
    // Pooled: 30 requests, 3000 tokens over the repeats' windows (10 + 12.5 + 8 s).
    expect(level.requests).toBe(30);
    expect(level.durationS).toBeCloseTo(30.5, 9);
    expect(level.throughputTokensPerS).toBeCloseTo(3000 / 30.5, 9);
    expect(level.levelSeconds).toBeCloseTo(30.5, 9);
  });

  it('charges each repeat its warm-up: levelSeconds runs from the first send, warm-up included, to the last end', () => {
    // Each repeat: one 2 s warm-up request, then its measured requests; windows exclude it, levelSeconds does not.
    const warm = (repeat: number, startMs: number): RequestRecord => ({
      ...repeatRecords(repeat, startMs, 2000, 1)[0],
      warmup: true,
    });
    const records = [warm(0, 0), ...repeatRecords(0, 2000, 1000, 10), warm(1, 20_000), ...repeatRecords(1, 22_000, 1000, 10)];
    const level = summarizeLevel(records, { concurrency: 1, speedup: 2 });
    expect(level.requests).toBe(20);
    // Measured windows 10 s each, endpoint time × 2.
    expect(level.durationS).toBeCloseTo(40, 9);
    expect(level.levelSeconds).toBeCloseTo(48, 9);
  });

  it('a level measured once has no repeats; a success shorter than asked counts as ended early', () => {
    const records = repeatRecords(0, 0, 1000, 4).map((r, i) => (i === 0 ? { ...r, outputTokens: 60, shortOutput: true as const } : r));
    const level = summarizeLevel(records, { concurrency: 1 });
    expect(level.repeats).toBeUndefined();
    expect(level.endedEarly).toBe(1);
  });
});
