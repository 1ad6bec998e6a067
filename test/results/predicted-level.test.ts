import { predictLevel, simulatedRecords } from '../../lib/planner/predict';
import { getInstanceType, getModel } from '../../lib/catalog';
import type { SimulatedRequest } from '../../lib/planner/engine/closed-loop';
import { summarizeLevel } from '../../lib/results/summarize-level';

const ok = (worker: number, sentMs: number, endMs: number, outputTokens: number): SimulatedRequest => ({ worker, sentMs, endMs, firstTokenMs: sentMs + 100, outputTokens, outcome: 'ok' });

describe('predicted levels are summarized like measured ones', () => {
  const requests: SimulatedRequest[] = [
    ok(0, 0, 1000, 100), // 10 ms/token
    ok(1, 0, 2000, 100), // 20 ms/token
    ok(0, 1000, 1500, 0), // a success that generated nothing: no ms/token
    { worker: 1, sentMs: 2000, endMs: 2000, outputTokens: 0, outcome: 'overloaded' },
    { worker: 0, sentMs: 1500, endMs: 61_500, outputTokens: 0, outcome: 'timeout' },
  ];
  const records = simulatedRecords(2, 256, requests);

  it('turns simulated requests into request records (per-worker sequence, error kinds)', () => {
    expect(records.map((r) => [r.worker, r.seq, r.error])).toEqual([
      [0, 0, undefined],
      [1, 0, undefined],
      [0, 1, undefined],
      [1, 1, 'overloaded'],
      [0, 2, 'timeout'],
    ]);
    expect(records.every((r) => r.inputTokens === 256 && r.scheduledMs === r.sentMs && r.clockOriginMs === 0)).toBe(true);
  });

  it('skips zero-token successes in ms/token and counts every request in the rate, over the given window', () => {
    const level = summarizeLevel(records, { concurrency: 2, windowMs: 10_000 });
    expect(level).toMatchObject({ requests: 5, ok: 3, errors: { overloaded: 1, timeout: 1 }, timeouts: 1, outputTokens: 200, durationS: 10 });
    expect(level.latencyMsPerToken).toMatchObject({ min: 10, max: 20, mean: 15 });
    expect(level.requestsPerS).toBe(0.5); // 5 requests (not 3 successes) / 10 s
    expect(level.throughputTokensPerS).toBe(20);
    // Without a window of its own, the level spans the first send to the last end (61.5 s).
    expect(summarizeLevel(records, { concurrency: 2 }).durationS).toBe(61.5);
  });

  it('predictLevel returns the summary of its own simulated records', () => {
    const level = predictLevel({ model: getModel('llama-2-7b'), instance: getInstanceType('ml.g5.2xlarge'), tp: 1, inputTokens: 256, outputTokens: 256, concurrency: [4] }, 4);
    expect(level.requests).toBe(level.ok + Object.values(level.errors).reduce((a, b) => a + (b ?? 0), 0));
    expect(level.requestsPerS).toBeCloseTo(level.requests / level.durationS, 9);
    expect(level.clientQueueMs).toMatchObject({ max: 0 });
    expect(level.throughputTokensPerS).toBeCloseTo(level.outputTokens / level.durationS, 9);
  });
});
