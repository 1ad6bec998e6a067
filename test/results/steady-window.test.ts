import { REQUEST_RECORD_VERSION, type RequestRecord } from '../../lib/results/records';
import { summarizeLevel } from '../../lib/results/summarize-level';

/** Back-to-back requests of one worker: `count` requests of `e2eMs`, 100 tokens each, from `startMs`. */
function worker(index: number, startMs: number, e2eMs: number, count: number, warmup = false): RequestRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    schemaVersion: REQUEST_RECORD_VERSION,
    concurrency: 2,
    worker: index,
    seq: i,
    clockOriginMs: 0,
    scheduledMs: startMs + i * e2eMs,
    sentMs: startMs + i * e2eMs,
    endMs: startMs + (i + 1) * e2eMs,
    inputTokens: 10,
    outputTokens: 100,
    ...(warmup ? { warmup: true } : {}),
  }));
}

describe('steady window', () => {
  it('excludes the drain: tokens generated between the first and the last measured send, per second', () => {
    // Worker 0: 1 s requests sent 0..9 s; worker 1: 3 s requests sent at 0, 3, 6, 9 s (drains until 12 s).
    const records = [...worker(0, 0, 1000, 10), ...worker(1, 0, 3000, 4)];
    const level = summarizeLevel(records, { concurrency: 2 });
    // Whole window: 1400 tokens over 12 s. Steady: worker 0 makes 100 tokens/s and worker 1 33.3 over (0, 9 s].
    expect(level.throughputTokensPerS).toBeCloseTo(1400 / 12, 9);
    expect(level.steadyWindowS).toBeCloseTo(9, 9);
    expect(level.steadyThroughputTokensPerS).toBeCloseTo(100 + 100 / 3, 9);
  });

  it('counts the warm-up requests still running in the window (they load the endpoint), not the ramp before it', () => {
    // One warm-up request per worker, 2 s each from t = 0; measured requests follow.
    const records = [...worker(0, 0, 2000, 1, true), ...worker(1, 0, 2000, 1, true), ...worker(0, 2000, 2000, 5), ...worker(1, 2000, 2000, 5)];
    const level = summarizeLevel(records, { concurrency: 2 });
    // Sends from 2 s to 10 s: 2 workers × 50 tokens/s.
    expect(level.steadyWindowS).toBeCloseTo(8, 9);
    expect(level.steadyThroughputTokensPerS).toBeCloseTo(100, 9);
  });

  it('is absent for a level measured by request count (all sent at once) or with a caller-defined window', () => {
    expect(summarizeLevel(worker(0, 0, 1000, 1), { concurrency: 1 }).steadyThroughputTokensPerS).toBeUndefined();
    expect(summarizeLevel(worker(0, 0, 1000, 5), { concurrency: 1, windowMs: 5000 }).steadyThroughputTokensPerS).toBeUndefined();
  });
});
