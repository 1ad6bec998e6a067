import { distributionOf, nearestRank } from '../../lib/results/distribution';

describe('distributionOf (nearest-rank percentiles)', () => {
  it('takes the value at rank ceil(p/100 × n) of the sorted samples', () => {
    const values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5]; // 1..10
    const d = distributionOf(values);
    expect(d).toEqual({ mean: 5.5, p50: 5, p90: 9, p99: 10, min: 1, max: 10 });
  });

  it('is exact on 1..1000 and does not mutate its input', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    const d = distributionOf(values);
    expect([d.p50, d.p90, d.p99, d.min, d.max]).toEqual([500, 900, 990, 1, 1000]);
    expect(values[0]).toBe(1000);
  });

  it('returns the single sample for every percentile of n = 1 and zeros for n = 0', () => {
    expect(distributionOf([42])).toEqual({ mean: 42, p50: 42, p90: 42, p99: 42, min: 42, max: 42 });
    expect(distributionOf([])).toEqual({ mean: 0, p50: 0, p90: 0, p99: 0, min: 0, max: 0 });
  });

  it('sorts numerically, not lexically', () => {
    expect(distributionOf([100, 20, 3]).p50).toBe(20);
  });

  it('clamps rank to 1..n', () => {
    const sorted = Float64Array.from([1, 2, 3]);
    expect(nearestRank(sorted, 0)).toBe(1);
    expect(nearestRank(sorted, 100)).toBe(3);
  });
});
