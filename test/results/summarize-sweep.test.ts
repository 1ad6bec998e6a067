import { costPerMillionTokensUsd } from '../../lib/results/cost';
import { SWEEP_RESULT_VERSION } from '../../lib/results/records';
import { isFeasible, summarizeSweep, type SummarizeSweepInput } from '../../lib/results/summarize-sweep';
import { g5Levels, level } from './fixtures';

const base: Omit<SummarizeSweepInput, 'levels'> = {
  label: 'llama-2-7b g5.2xlarge',
  target: { kind: 'tgi', address: 'http://127.0.0.1:8080' },
  payload: { inputTokens: 256, outputTokens: 256 },
  startedAt: '2026-01-01T00:00:00.000Z',
};

describe('summarizeSweep', () => {
  it('fills max throughput, min latency, max feasible concurrency and knees on the published curve', () => {
    const sweep = summarizeSweep({ ...base, levels: g5Levels().reverse() });
    expect(sweep.schemaVersion).toBe(SWEEP_RESULT_VERSION);
    expect(sweep.levels.map((l) => l.concurrency)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(sweep.maxThroughput).toEqual({ concurrency: 64, tokensPerS: 486 });
    expect(sweep.minLatency).toEqual({ concurrency: 1, msPerToken: 33 });
    expect(sweep.maxFeasibleConcurrency).toBe(64);
    expect(sweep.knee).toEqual({ concurrency: 32, rule: 'latency-bound', detail: 'p50 ms/token < 100' });
    expect(sweep.knees?.map((k) => k.rule)).toEqual(['latency-bound', 'marginal-gain', 'half-latency']);
    // No price: the cost is the endpoint time of the levels (their windows, as these levels carry no levelSeconds).
    expect(sweep.cost).toEqual({ levelSeconds: sweep.levels.reduce((sum, l) => sum + l.durationS, 0), instanceSeconds: sweep.levels.reduce((sum, l) => sum + l.durationS, 0) });
  });

  it('takes max throughput among feasible levels only', () => {
    const levels = [
      ...g5Levels().slice(0, 6),
      level(64, 600, 150, { timeouts: 1, errors: { timeout: 1 }, ok: 99 }),
      level(128, 700, 200, { errors: { overloaded: 5 }, ok: 95 }),
    ];
    const sweep = summarizeSweep({ ...base, levels });
    expect(sweep.maxFeasibleConcurrency).toBe(32);
    expect(sweep.maxThroughput).toEqual({ concurrency: 32, tokensPerS: 475 });
  });

  it('falls back to all measured levels when none is feasible', () => {
    const levels = [level(1, 30, 33, { errors: { throttled: 10 }, ok: 90 }), level(2, 50, 40, { errors: { throttled: 10 }, ok: 90 })];
    const sweep = summarizeSweep({ ...base, levels });
    expect(sweep.maxFeasibleConcurrency).toBeUndefined();
    expect(sweep.maxThroughput?.concurrency).toBe(2);
    // ... unless the allowed error rate covers them.
    expect(summarizeSweep({ ...base, levels, maxErrorRate: 0.1 }).maxFeasibleConcurrency).toBe(2);
  });

  it('counts a level as infeasible when its slowest request reached the invocation timeout', () => {
    const slow = level(8, 100, 250); // e2e max = 64 000 ms
    expect(isFeasible(slow)).toBe(true);
    expect(isFeasible(slow, { invocationTimeoutMs: 60_000 })).toBe(false);
  });

  it('uses the given latency bound for the knee', () => {
    const sweep = summarizeSweep({ ...base, levels: g5Levels(), latencyBoundMsPerToken: 50 });
    expect(sweep.knee).toMatchObject({ concurrency: 16, rule: 'latency-bound' });
  });

  it('falls through to marginal-gain when no level meets the latency bound', () => {
    const sweep = summarizeSweep({ ...base, levels: g5Levels(), latencyBoundMsPerToken: 20 });
    expect(sweep.knee).toMatchObject({ concurrency: 16, rule: 'marginal-gain' });
  });

  it('prices 1M tokens at max throughput: hourlyUsd × 1e6 / (tokens/s × 3600)', () => {
    const sweep = summarizeSweep({ ...base, levels: g5Levels(), deployment: { instanceType: 'ml.g5.2xlarge', hourlyUsd: 1.515 } });
    expect(sweep.cost?.hourlyUsd).toBe(1.515);
    expect(sweep.cost?.usdPerMillionTokensAtMaxThroughput).toBeCloseTo((1.515 * 1e6) / (486 * 3600), 12);
    expect(sweep.cost?.usdPerMillionTokensAtMaxThroughput).toBeCloseTo(0.8659, 4);
    expect(costPerMillionTokensUsd(36, 1000)).toBe(10);
    expect(costPerMillionTokensUsd(1, 0)).toBe(Infinity);
  });

  it('passes stopReason, failure and times through', () => {
    const sweep = summarizeSweep({
      ...base,
      levels: g5Levels().slice(0, 2),
      finishedAt: '2026-01-01T01:00:00.000Z',
      stopReason: { rule: 'timeout', detail: '1 of 100 requests hit the 60000 ms deadline at c=2' },
      failure: { step: 'level c=4', message: 'endpoint gone' },
    });
    expect(sweep.stopReason).toEqual({ rule: 'timeout', detail: '1 of 100 requests hit the 60000 ms deadline at c=2' });
    expect(sweep.failure).toEqual({ step: 'level c=4', message: 'endpoint gone' });
    expect(sweep.finishedAt).toBe('2026-01-01T01:00:00.000Z');
  });

  it('produces no maxima for a sweep with no successful request', () => {
    const sweep = summarizeSweep({ ...base, levels: [level(1, 0, 0, { ok: 0, errors: { network: 100 } })] });
    expect(sweep.maxThroughput).toBeUndefined();
    expect(sweep.minLatency).toBeUndefined();
    expect(sweep.knee).toBeUndefined();
    expect(sweep.maxFeasibleConcurrency).toBeUndefined();
  });

  it('leaves a level whose successful requests generated no token out of latency, knees and maxima', () => {
    const empty = level(128, 0, 0, { outputTokens: 0 });
    const sweep = summarizeSweep({ ...base, levels: [...g5Levels(), empty] });
    expect(sweep.minLatency).toEqual({ concurrency: 1, msPerToken: 33 });
    expect(sweep.knee).toMatchObject({ concurrency: 32, rule: 'latency-bound' });
    expect(sweep.knees?.find((k) => k.rule === 'half-latency')?.concurrency).toBe(16);
    expect(sweep.maxThroughput).toEqual({ concurrency: 64, tokensPerS: 486 });
  });
});
