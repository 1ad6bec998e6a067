import { summarizeSweep } from '../../lib/results/summarize-sweep';
import { withPrices } from '../../lib/results/with-prices';
import { g5Levels } from './fixtures';

describe('withPrices', () => {
  const sweep = summarizeSweep({
    label: 'g5 x2',
    target: { kind: 'predicted', address: 'predict:llama-2-7b@ml.g5.2xlarge' },
    payload: { inputTokens: 256, outputTokens: 256 },
    deployment: { model: 'llama-2-7b', instanceType: 'ml.g5.2xlarge', instances: 2, hourlyUsd: 3.03 },
    startedAt: '2026-01-01T00:00:00.000Z',
    levels: g5Levels(),
  });
  const tokensPerS = sweep.maxThroughput?.tokensPerS ?? 0;

  it('re-prices every instance of an overridden type and the cost per 1M tokens at max throughput', () => {
    const repriced = withPrices(sweep, { 'ml.g5.2xlarge': 1.2 });
    expect(repriced.deployment?.hourlyUsd).toBeCloseTo(2.4, 10);
    expect(repriced.cost?.hourlyUsd).toBeCloseTo(2.4, 10);
    expect(repriced.cost?.usdPerMillionTokensAtMaxThroughput).toBeCloseTo((2.4 * 1e6) / (tokensPerS * 3600), 10);
    expect(repriced.levels).toBe(sweep.levels);
    expect(repriced.knee).toEqual(sweep.knee);
  });

  it('keeps sweeps of other instance types, or without one, as stored', () => {
    expect(withPrices(sweep, { 'ml.p4d.24xlarge': 30 })).toBe(sweep);
    const { deployment: _none, ...bare } = sweep;
    expect(withPrices(bare, { 'ml.g5.2xlarge': 1.2 })).toBe(bare);
  });
});
