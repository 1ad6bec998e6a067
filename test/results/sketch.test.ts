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

describe('LatencySketch.since (the window between two readings of a cumulative sketch)', () => {
  /** A cumulative sketch read (encoded, as over HTTP) after `upTo` samples. */
  const reading = (values: readonly number[], upTo: number): LatencySketch => LatencySketch.decode(sketchOf(values.slice(0, upTo)).encode());

  it('is exact while the sketch is: the window holds exactly the samples added in between, whatever their order', () => {
    const values = lognormal(3000, 7);
    const window = reading(values, 3000).since(reading(values, 1000));
    expect(window.count).toBe(2000);
    expect(window.distribution()).toEqual(distributionOf(values.slice(1000)));
    // Merged sketches interleave their samples; the difference is a multiset one.
    const a = sketchOf(values.slice(0, 500));
    a.merge(sketchOf(values.slice(1500, 1600)));
    const later = sketchOf(values.slice(0, 800));
    later.merge(sketchOf(values.slice(1500, 2000)));
    expect(later.since(a).distribution()).toEqual(distributionOf([...values.slice(500, 800), ...values.slice(1600, 2000)]));
    expect(reading(values, 10).since(reading(values, 10)).count).toBe(0);
  });

  it('past the exact limit: count and mean exact, percentiles and extremes within the histogram precision', () => {
    const values = lognormal(40_000, 8);
    for (const from of [2_000, 20_000]) {
      const window = reading(values, 40_000).since(reading(values, from));
      const exact = distributionOf(values.slice(from));
      const d = window.distribution();
      expect(window.count).toBe(40_000 - from);
      expect(d.mean).toBeCloseTo(exact.mean, 6);
      // Within 10^-3 relative, or the 1 µs the histogram stores values in.
      for (const p of ['p50', 'p90', 'p99', 'max', 'min'] as const) expect(Math.abs(d[p] - exact[p])).toBeLessThanOrEqual(Math.max(1e-3 * exact[p], 1e-3));
    }
  });

  it('a window whose samples are all small is not given the whole sketch\'s maximum', () => {
    const values = [...Array.from({ length: 5000 }, (_, i) => 100 + (i % 7)), ...Array.from({ length: 5000 }, (_, i) => 1 + (i % 3))];
    const window = reading(values, 10_000).since(reading(values, 5000));
    expect(window.distribution().max).toBeCloseTo(3, 2);
    expect(window.distribution().p99).toBeCloseTo(3, 2);
  });

  it('refuses a reading that is no earlier snapshot of the sketch', () => {
    expect(() => sketchOf([1, 2]).since(sketchOf([1, 2, 3]))).toThrow(/3 samples, more than the 2/);
    expect(() => sketchOf([1, 2, 3]).since(sketchOf([4]))).toThrow(/holds 4 ms, which the later one lacks/);
  });
});
