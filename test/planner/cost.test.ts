import { getInstanceType, getModel, listInstanceTypes } from '../../lib/catalog';
import { deploymentHourlyUsd, rankByCostPerBandwidth } from '../../lib/planner/cost';
import { costPerMillionTokensUsd } from '../../lib/results/cost';

describe('costPerMillionTokensUsd', () => {
  it('is hourly price × 10^6 / (tokens/s × 3600)', () => {
    expect(costPerMillionTokensUsd(3.6, 1000)).toBeCloseTo(1, 12);
    // Published: 1 × ml.g5.2xlarge at 492 tokens/s, priced at 1.515 USD/h
    expect(costPerMillionTokensUsd(1.515, 492)).toBeCloseTo(0.8554, 4);
    expect(costPerMillionTokensUsd(2 * 1.515, 2 * 492)).toBeCloseTo(costPerMillionTokensUsd(1.515, 492), 12);
  });

  it('is infinite when nothing is generated', () => {
    expect(costPerMillionTokensUsd(1.5, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('deploymentHourlyUsd', () => {
  const g5x2 = getInstanceType('ml.g5.2xlarge');

  it('multiplies the catalog price by the instance count', () => {
    expect(deploymentHourlyUsd(g5x2, 3)).toBeCloseTo(3 * g5x2.price.usd, 9);
  });

  it('uses a price override', () => {
    expect(deploymentHourlyUsd(g5x2, 2, { region: 'us-east-1', overrides: { 'ml.g5.2xlarge': 1.6 } })).toBeCloseTo(3.2, 9);
  });
});

describe('rankByCostPerBandwidth', () => {
  const pick = (...names: string[]) => names.map((n) => getInstanceType(n));
  const overrides = { 'ml.g5.xlarge': 1.2, 'ml.g5.2xlarge': 1.8, 'ml.p4d.24xlarge': 18.66, 'ml.g5.48xlarge': 24 };

  it('orders by USD per hour per GB/s of aggregate bandwidth, cheapest first', () => {
    const ranked = rankByCostPerBandwidth(pick('ml.g5.48xlarge', 'ml.g5.2xlarge', 'ml.p4d.24xlarge', 'ml.g5.xlarge'), { pricing: { region: 'us-east-1', overrides } });
    // 1.2/600 = 0.0020, 18.66/12440 = 0.0015, 1.8/600 = 0.0030, 24/4800 = 0.0050
    expect(ranked.map((r) => r.instance)).toEqual(['ml.p4d.24xlarge', 'ml.g5.xlarge', 'ml.g5.2xlarge', 'ml.g5.48xlarge']);
    expect(ranked[0].aggregateBandwidthGBs).toBe(8 * 1555);
    expect(ranked[0].usdPerHourPerGBs).toBeCloseTo(18.66 / 12440, 12);
  });

  it('puts instances that cannot hold the model at its critical batch last', () => {
    const ranked = rankByCostPerBandwidth(pick('ml.g5.xlarge', 'ml.g5.48xlarge', 'ml.p4d.24xlarge'), {
      pricing: { region: 'us-east-1', overrides },
      model: getModel('llama-2-70b'),
      tokensPerSequence: 512,
    });
    expect(ranked.map((r) => [r.instance, r.holdsCriticalBatch])).toEqual([
      ['ml.p4d.24xlarge', true],
      ['ml.g5.48xlarge', true],
      ['ml.g5.xlarge', false],
    ]);
    expect(ranked[2].acceleratorsNeeded).toBeGreaterThan(1);
  });

  it('ranks the whole catalog without throwing', () => {
    const ranked = rankByCostPerBandwidth(listInstanceTypes());
    expect(ranked).toHaveLength(listInstanceTypes().length);
    for (let i = 1; i < ranked.length; i += 1) expect(ranked[i].usdPerHourPerGBs).toBeGreaterThanOrEqual(ranked[i - 1].usdPerHourPerGBs);
  });
});
