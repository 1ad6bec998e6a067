import { mulberry32 } from '../../lib/planner/engine/prng';

describe('mulberry32', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const take = (seed: number) => {
      const random = mulberry32(seed);
      return Array.from({ length: 5 }, () => random());
    };
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
  });

  it('draws uniformly from [0, 1)', () => {
    const random = mulberry32(1);
    const draws = Array.from({ length: 10_000 }, () => random());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((a, b) => a + b, 0) / draws.length).toBeCloseTo(0.5, 1);
  });
});
