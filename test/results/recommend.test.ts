import { recommend } from '../../lib/results/recommend';
import { summarizeSweep } from '../../lib/results/summarize-sweep';
import type { LevelResult, SweepResult } from '../../lib/results/records';
import { g5Levels, level } from './fixtures';

function sweep(label: string, levels: LevelResult[], hourlyUsd?: number): SweepResult {
  return summarizeSweep({
    label,
    target: { kind: 'predicted', address: label },
    payload: { inputTokens: 256, outputTokens: 256 },
    startedAt: '2026-01-01T00:00:00.000Z',
    levels,
    ...(hourlyUsd !== undefined ? { deployment: { hourlyUsd } } : {}),
  });
}

describe('recommend', () => {
  // g5.2xlarge (published) vs a faster, pricier 4-GPU configuration (published g5.12xlarge TP4 figures).
  const small = sweep('g5.2xlarge', g5Levels(), 1.515);
  const big = sweep(
    'g5.12xlarge tp4',
    [level(1, 59, 17), level(2, 117, 17), level(4, 223, 18), level(8, 406, 20), level(16, 616, 27), level(32, 866, 38), level(64, 1098, 60), level(128, 1214, 110, { timeouts: 3, ok: 97, errors: { timeout: 3 } })],
    7.09,
  );
  const recs = recommend([small, big], { latencyBoundMsPerToken: 100 });
  const byGoal = Object.fromEntries(recs.map((r) => [r.goal, r]));

  it('picks the lowest p50 ms/token', () => {
    expect(byGoal['min-latency']).toMatchObject({ label: 'g5.12xlarge tp4', concurrency: 1, value: 17, unit: 'ms/token' });
  });

  it('picks max throughput among feasible levels (not the timed-out c = 128)', () => {
    expect(byGoal['max-throughput']).toMatchObject({ label: 'g5.12xlarge tp4', concurrency: 64, value: 1098, unit: 'tokens/s' });
  });

  it('picks min cost per 1M tokens from hourly price and throughput', () => {
    // g5.2xlarge @64: 1.515e6 / (486 × 3600) = 0.866; g5.12xlarge @64: 7.09e6 / (1098 × 3600) = 1.794.
    expect(byGoal['min-cost-per-million']).toMatchObject({ label: 'g5.2xlarge', concurrency: 64, unit: 'USD/1M tokens' });
    expect(byGoal['min-cost-per-million'].value).toBeCloseTo(0.8659, 4);
  });

  it('picks best throughput under the latency bound', () => {
    expect(byGoal['best-under-latency-bound']).toMatchObject({ label: 'g5.12xlarge tp4', concurrency: 64, value: 1098 });
    const tight = recommend([small, big], { latencyBoundMsPerToken: 40 });
    expect(tight.find((r) => r.goal === 'best-under-latency-bound')).toMatchObject({ label: 'g5.12xlarge tp4', concurrency: 32, value: 866 });
  });

  it('picks the cheapest configuration meeting the bound at its best level', () => {
    expect(byGoal['min-hourly-cost']).toMatchObject({ label: 'g5.2xlarge', concurrency: 32, value: 1.515, unit: 'USD/h' });
    const tight = recommend([small, big], { latencyBoundMsPerToken: 30 });
    expect(tight.find((r) => r.goal === 'min-hourly-cost')).toMatchObject({ label: 'g5.12xlarge tp4', concurrency: 16, value: 7.09 });
  });

  it('leaves out cost goals without prices and bound goals nothing meets', () => {
    const unpriced = recommend([sweep('a', g5Levels())], { latencyBoundMsPerToken: 10 });
    expect(unpriced.map((r) => r.goal)).toEqual(['min-latency', 'max-throughput']);
    expect(unpriced.every((r) => r.why.length > 0)).toBe(true);
  });

  it('returns nothing for no sweeps', () => {
    expect(recommend([], { latencyBoundMsPerToken: 100 })).toEqual([]);
  });
});
