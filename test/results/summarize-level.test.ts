import { summarizeLevel } from '../../lib/results/summarize-level';
import type { RequestRecord } from '../../lib/results/records';
import { record } from './fixtures';

describe('summarizeLevel', () => {
  // Two workers, 2 s window (sent 0 → end 2000), 100 tokens each for ok requests.
  const records: RequestRecord[] = [
    record({ worker: 0, seq: 0, sentMs: -500, endMs: -100, warmup: true, outputTokens: 100 }),
    record({ worker: 0, seq: 1, sentMs: 0, endMs: 1000, outputTokens: 100 }), // 10 ms/token
    record({ worker: 0, seq: 2, sentMs: 1000, endMs: 2000, outputTokens: 50 }), // 20 ms/token
    record({ worker: 1, seq: 0, sentMs: 10, endMs: 1510, outputTokens: 100 }), // 15 ms/token
    record({ worker: 1, seq: 1, sentMs: 1510, endMs: 1600, outputTokens: 0, error: 'overloaded', status: 429 }),
    record({ worker: 1, seq: 2, sentMs: 1600, endMs: 1900, outputTokens: 0, error: 'timeout', retries: 2 }),
    record({ worker: 1, seq: 3, sentMs: 1900, endMs: 1950, outputTokens: 0, error: 'overloaded', retries: 1 }),
  ];

  it('counts measured requests as ok + Σ errors, excluding warm-up', () => {
    const level = summarizeLevel(records, { concurrency: 2 });
    expect(level.requests).toBe(6);
    expect(level.ok).toBe(3);
    expect(level.errors).toEqual({ overloaded: 2, timeout: 1 });
    const errorSum = Object.values(level.errors).reduce((a, b) => a + (b ?? 0), 0);
    expect(level.ok + errorSum).toBe(level.requests);
    expect(level.timeouts).toBe(1);
    expect(level.retries).toBe(3);
    expect(level.concurrency).toBe(2);
  });

  it('computes throughput and rates over the measured window', () => {
    const level = summarizeLevel(records, { concurrency: 2 });
    expect(level.durationS).toBeCloseTo(2, 9);
    expect(level.outputTokens).toBe(250);
    expect(level.throughputTokensPerS).toBeCloseTo(125, 9);
    expect(level.requestsPerS).toBeCloseTo(3, 9);
  });

  it('gives ms/token and e2e distributions of successful requests', () => {
    const level = summarizeLevel(records, { concurrency: 2 });
    expect(level.latencyMsPerToken).toEqual({ mean: 15, p50: 15, p90: 20, p99: 20, min: 10, max: 20 });
    expect(level.e2eMs.p50).toBe(1000);
    expect(level.e2eMs.max).toBe(1500);
    expect(level.ttftMs).toBeUndefined();
    expect(level.itlMs).toBeUndefined();
  });

  it('merges records of two processes on clockOriginMs + t', () => {
    // Process A's origin is 5 s later than B's: A's [0, 1000] is B's [5000, 6000].
    const merged = [
      record({ clockOriginMs: 2_000_000, sentMs: 100, endMs: 1100, outputTokens: 100 }),
      record({ clockOriginMs: 1_995_000, sentMs: 5000, endMs: 6500, outputTokens: 100 }),
    ];
    const level = summarizeLevel(merged, { concurrency: 2 });
    // Window: min(2_000_100, 2_000_000) .. max(2_001_100, 2_001_500) = 1.5 s.
    expect(level.durationS).toBeCloseTo(1.5, 9);
    expect(level.throughputTokensPerS).toBeCloseTo(200 / 1.5, 9);
  });

  it('scales every duration by speedup and divides rates by it', () => {
    const fast = summarizeLevel(records, { concurrency: 2, speedup: 10 });
    const real = summarizeLevel(records, { concurrency: 2 });
    expect(fast.durationS).toBeCloseTo(real.durationS * 10, 9);
    expect(fast.throughputTokensPerS).toBeCloseTo(real.throughputTokensPerS / 10, 9);
    expect(fast.requestsPerS).toBeCloseTo(real.requestsPerS / 10, 9);
    expect(fast.latencyMsPerToken.p50).toBeCloseTo(150, 9);
    expect(fast.e2eMs.max).toBeCloseTo(15000, 9);
  });

  it('reports TTFT, TPOT and client queueing for streamed requests (no per-gap ITL without chunk token counts)', () => {
    const streamed = [
      // e2e 1000, TTFT 100 → TPOT (1000 − 100) / (10 − 1) = 100; waited 5 ms in the client.
      record({ scheduledMs: 0, sentMs: 5, firstTokenMs: 105, endMs: 1005, outputTokens: 10 }),
      // e2e 500, TTFT 50 → TPOT 450 / 9 = 50; no client wait.
      record({ scheduledMs: 1005, sentMs: 1005, firstTokenMs: 1055, endMs: 1505, outputTokens: 10 }),
      // One token: TTFT only, no TPOT.
      record({ scheduledMs: 1505, sentMs: 1505, firstTokenMs: 1525, endMs: 1525, outputTokens: 1 }),
    ];
    const level = summarizeLevel(streamed, { concurrency: 1, speedup: 2 });
    expect(level.ttftMs).toEqual({ mean: (200 + 100 + 40) / 3, p50: 100, p90: 200, p99: 200, min: 40, max: 200 });
    expect(level.tpotMs?.min).toBeCloseTo(100, 9);
    expect(level.tpotMs?.max).toBeCloseTo(200, 9);
    expect(level.itlMs).toBeUndefined();
    expect(level.clientQueueMs?.max).toBe(10);
    expect(level.clientQueueMs?.p50).toBe(0);
  });

  it('returns an empty level without NaN when nothing was measured', () => {
    const level = summarizeLevel([records[0]], { concurrency: 4 });
    expect(level.requests).toBe(0);
    expect(level.durationS).toBe(0);
    expect(level.throughputTokensPerS).toBe(0);
    expect(level.requestsPerS).toBe(0);
    expect(JSON.stringify(level)).not.toContain('null');
  });

  it('handles 200k records quickly, percentiles within the histogram precision (0.1 %), count/mean/min/max exact', () => {
    const many: RequestRecord[] = [];
    for (let i = 0; i < 200_000; i++) many.push(record({ sentMs: i, endMs: i + 100 * ((i % 100) + 1), outputTokens: 100 }));
    const started = performance.now();
    const level = summarizeLevel(many, { concurrency: 256 });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(Math.abs(level.latencyMsPerToken.p50 / 50 - 1)).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(level.latencyMsPerToken.p99 / 99 - 1)).toBeLessThanOrEqual(1e-3);
    expect(level.latencyMsPerToken.mean).toBeCloseTo(50.5, 9);
    expect(level.latencyMsPerToken.min).toBe(1);
    expect(level.latencyMsPerToken.max).toBe(100);
    expect(level.ok).toBe(200_000);
  });
});
