import { distributionOf } from '../../lib/results/distribution';
import { EXACT_SAMPLE_LIMIT, LatencySketch } from '../../lib/results/sketch';
import { mulberry32 } from '../../lib/planner/engine/prng';

function sketchOf(values: readonly number[]): LatencySketch {
  const s = new LatencySketch();
  for (const v of values) s.add(v);
  return s;
}

const lognormal = (n: number, seed: number): number[] => {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => Math.exp(3 + Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
};

describe('LatencySketch', () => {
  it('is exact (nearest rank) up to the exact-sample limit', () => {
    const values = lognormal(EXACT_SAMPLE_LIMIT, 1);
    expect(sketchOf(values).distribution()).toEqual(distributionOf(values));
  });

  it('past the limit: percentiles within 0.1 % of the exact ones, count, mean, min and max exact', () => {
    const values = lognormal(50_000, 2);
    const exact = distributionOf(values);
    const d = sketchOf(values).distribution();
    for (const p of ['p50', 'p90', 'p99'] as const) expect(Math.abs(d[p] / exact[p] - 1)).toBeLessThanOrEqual(1e-3);
    expect(d.mean).toBeCloseTo(exact.mean, 6);
    expect(d.min).toBe(exact.min);
    expect(d.max).toBe(exact.max);
  });

  it('merging equals sketching the union: exactly while small, within precision past the limit', () => {
    const a = lognormal(1000, 3);
    const b = lognormal(2000, 4);
    const merged = sketchOf(a);
    merged.merge(sketchOf(b));
    expect(merged.distribution()).toEqual(distributionOf([...a, ...b]));

    const big = lognormal(30_000, 5);
    const small = lognormal(500, 6);
    const m1 = sketchOf(small);
    m1.merge(sketchOf(big)); // exact ← histogram
    const m2 = sketchOf(big);
    m2.merge(sketchOf(small)); // histogram ← exact
    const exact = distributionOf([...big, ...small]);
    for (const m of [m1, m2]) {
      expect(m.count).toBe(30_500);
      for (const p of ['p50', 'p90', 'p99'] as const) expect(Math.abs(m.distribution()[p] / exact[p] - 1)).toBeLessThanOrEqual(1e-3);
    }
  });

  it('round-trips through its encoded form (to merge sketches of other processes)', () => {
    for (const values of [lognormal(100, 7), lognormal(10_000, 8)]) {
      const s = sketchOf(values);
      const back = LatencySketch.decode(JSON.parse(JSON.stringify(s.encode())) as ReturnType<LatencySketch['encode']>);
      expect(back.distribution()).toEqual(s.distribution());
      expect(back.count).toBe(values.length);
    }
  });

  it('keeps a fixed size however many samples it takes', () => {
    const s = new LatencySketch();
    for (let i = 0; i < 20_000; i++) s.add(i % 1000);
    const size = JSON.stringify(s.encode()).length;
    for (let i = 0; i < 200_000; i++) s.add(i % 1000);
    expect(JSON.stringify(s.encode()).length).toBeLessThan(size * 1.5);
  });
});
