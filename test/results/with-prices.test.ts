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
    const repriced = withPrices(sweep, { overrides: { 'ml.g5.2xlarge': 1.2 } });
    expect(repriced.deployment?.hourlyUsd).toBeCloseTo(2.4, 10);
    expect(repriced.cost?.hourlyUsd).toBeCloseTo(2.4, 10);
    expect(repriced.cost?.usdPerMillionTokensAtMaxThroughput).toBeCloseTo((2.4 * 1e6) / (tokensPerS * 3600), 10);
    expect(repriced.levels).toBe(sweep.levels);
    expect(repriced.deployment?.price).toMatchObject({ origin: 'override', region: 'us-east-1', listUsd: 1.2, discount: 0 });
    expect(repriced.knee).toEqual(sweep.knee);
  });

  it('keeps sweeps of other instance types, or without one, as stored', () => {
    expect(withPrices(sweep, { overrides: { 'ml.p4d.24xlarge': 30 } })).toBe(sweep);
    const { deployment: _none, ...bare } = sweep;
    expect(withPrices(bare, { overrides: { 'ml.g5.2xlarge': 1.2 } })).toBe(bare);
  });

  it('applies a discount and prices in another region', () => {
    const discounted = withPrices(sweep, { discount: 0.3 });
    expect(discounted.deployment?.hourlyUsd).toBeCloseTo(2 * 1.515 * 0.7, 10);
    expect(discounted.deployment?.price).toMatchObject({ region: 'us-east-1', listUsd: 1.515, discount: 0.3, origin: 'table' });
    const tokyo = withPrices(sweep, { region: 'ap-northeast-1' });
    // g5 in Tokyo: 1.515 × 1.45 (EC2 ratio) = 2.1967 rounded to 4 decimals, an unverified derived row.
    expect(tokyo.deployment?.hourlyUsd).toBeCloseTo(2 * 2.1967, 10);
    expect(tokyo.deployment?.price).toMatchObject({ region: 'ap-northeast-1', verified: false });
    expect(tokyo.cost?.usdPerMillionTokensAtMaxThroughput).toBeGreaterThan(sweep.cost?.usdPerMillionTokensAtMaxThroughput ?? Infinity);
  });
});
