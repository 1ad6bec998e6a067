import { offeredLoadAt, offeredRequestsUntil, scenarioSpec, timeOfOfferedRequests } from '../../lib/results/scenario-schedule';
import { scenarioArrivals } from '../../loadtest/scenario/schedule';

// Open-loop rate scenarios: the schedule's cumulative offered requests, its inverse, and the seeded
// arrivals every window and worker derive from it.

describe('a rate schedule', () => {
  const spec = scenarioSpec('ramp', { load: 'rate', from: 1, to: 9, overS: 100, holdS: 50, fallS: 20, idleS: 10 });

  it('offers ∫ rate dt requests: idle at `from`, the linear rise, the hold and the fall', () => {
    expect(spec).toMatchObject({ load: 'rate', arrival: 'poisson', seed: 1 });
    expect(offeredRequestsUntil(spec, 10)).toBeCloseTo(10, 9);
    // Rise 1 → 9 over 100 s: mean 5/s.
    expect(offeredRequestsUntil(spec, 110)).toBeCloseTo(10 + 500, 9);
    expect(offeredRequestsUntil(spec, 160)).toBeCloseTo(510 + 450, 9);
    // Fall 9 → 1 over 20 s: mean 5/s.
    expect(offeredRequestsUntil(spec, 180)).toBeCloseTo(960 + 100, 9);
    expect(offeredLoadAt(spec, 60)).toBeCloseTo(5, 9);
  });

  it('inverts: the time the schedule has offered N requests', () => {
    for (const n of [0.5, 10, 137.25, 510, 700, 1059]) expect(offeredRequestsUntil(spec, timeOfOfferedRequests(spec, n))).toBeCloseTo(n, 6);
    expect(timeOfOfferedRequests(spec, 1060.0001)).toBeGreaterThan(180);
    // A spike is idle (rate 0) until its step: the first arrivals come after it.
    const spike = scenarioSpec('spike', { load: 'rate', to: 4, idleS: 30, holdS: 60 });
    expect(timeOfOfferedRequests(spike, 1)).toBeCloseTo(30.25, 9);
  });

  it('arrives at the schedule’s rate (Poisson, seeded), per 20 s within 4 standard deviations', () => {
    const arrivals = [...scenarioArrivals(spec)];
    for (let t = 0; t < 180; t += 20) {
      const expected = offeredRequestsUntil(spec, t + 20) - offeredRequestsUntil(spec, t);
      const seen = arrivals.filter((a) => a.tS >= t && a.tS < t + 20).length;
      expect(Math.abs(seen - expected)).toBeLessThan(4 * Math.sqrt(expected) + 1);
    }
    expect(Math.abs(arrivals.length - 1060)).toBeLessThan(4 * Math.sqrt(1060));
    // The same seed gives the same arrivals; another seed others.
    expect([...scenarioArrivals(spec)]).toEqual(arrivals);
    expect([...scenarioArrivals({ ...spec, seed: 2 })][5]?.tS).not.toBe(arrivals[5]?.tS);
  });

  it('constant arrivals land exactly where the schedule has offered 1, 2, 3 … requests', () => {
    const constant = scenarioSpec('ramp', { load: 'rate', from: 2, to: 2, overS: 0, holdS: 10, fallS: 0, arrival: 'constant' });
    expect([...scenarioArrivals(constant)].map((a) => Number(a.tS.toFixed(9)))).toEqual([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5]);
  });

  it('split into windows of 240 s and 3 workers, every arrival is sent exactly once (no drop, no double at a boundary)', () => {
    const long = scenarioSpec('ramp', { load: 'rate', from: 0.5, to: 6, overS: 300, holdS: 200, fallS: 0, arrival: 'gamma', burstiness: 0.5, seed: 7 });
    const all = [...scenarioArrivals(long)];
    const shares: number[] = [];
    for (let from = 0; from < 500; from += 240) {
      for (let worker = 0; worker < 3; worker += 1) {
        // What driveRate keeps of the sequence for (window, worker).
        shares.push(...all.filter((a) => a.tS >= from && a.tS < Math.min(500, from + 240) && a.index % 3 === worker).map((a) => a.index));
      }
    }
    expect(shares.sort((a, b) => a - b)).toEqual(all.map((a) => a.index));
  });

  it('refuses bad rate fields naming them', () => {
    expect(() => scenarioSpec('ramp', { load: 'rate', to: 0 })).toThrow('to: must be a rate > 0 requests/s, got 0');
    expect(() => scenarioSpec('ramp', { load: 'rate', to: 2, arrival: 'uniform' as never })).toThrow("arrival: 'uniform' is not an arrival process; allowed: poisson, gamma, constant");
    expect(() => scenarioSpec('ramp', { load: 'rate', to: 2, burstiness: 2 })).toThrow('burstiness: must be a gamma shape > 0 with arrival gamma');
    expect(() => scenarioSpec('ramp', { to: 2, arrival: 'poisson' })).toThrow('arrival: applies to load rate only');
    expect(() => scenarioSpec('ramp', { load: 'bursts' as never, to: 2 })).toThrow("load: 'bursts' is not a load; allowed: concurrency, rate");
    // A rate may be fractional; a concurrency may not.
    expect(scenarioSpec('ramp', { load: 'rate', from: 0.25, to: 2.5 }).to).toBe(2.5);
    expect(() => scenarioSpec('ramp', { to: 2.5 })).toThrow('to: must be a whole number ≥ 1, got 2.5');
  });
});
