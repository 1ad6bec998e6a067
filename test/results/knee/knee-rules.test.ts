import { findKnees, KNEE_RULES } from '../../../lib/results/knee';
import { halfLatencyRule } from '../../../lib/results/knee/half-latency';
import { latencyBoundRule } from '../../../lib/results/knee/latency-bound';
import { marginalGainRule } from '../../../lib/results/knee/marginal-gain';
import { DEFAULT_KNEE_PARAMS } from '../../../lib/results/knee/types';
import { g5Levels, level } from '../fixtures';

describe('knee rules on the published g5.2xlarge curve', () => {
  const levels = g5Levels();

  it('latency-bound @100 ms/token gives c = 32 (97 ms/token)', () => {
    expect(latencyBoundRule.check(levels, DEFAULT_KNEE_PARAMS)).toEqual({
      concurrency: 32,
      detail: 'p50 ms/token < 100',
    });
  });

  it('latency-bound @40 gives c = 8 and @30 gives none', () => {
    expect(latencyBoundRule.check(levels, { ...DEFAULT_KNEE_PARAMS, latencyBoundMsPerToken: 40 })?.concurrency).toBe(8);
    expect(latencyBoundRule.check(levels, { ...DEFAULT_KNEE_PARAMS, latencyBoundMsPerToken: 30 })).toBeUndefined();
  });

  it('marginal-gain @10 % gives c = 16 (16→32 buys 2.7 tokens/s per ms/token vs 30.5 on 2→4)', () => {
    expect(marginalGainRule.check(levels, DEFAULT_KNEE_PARAMS)?.concurrency).toBe(16);
  });

  it('marginal-gain @5 % gives c = 32 (32→64 buys 0.18)', () => {
    expect(marginalGainRule.check(levels, { ...DEFAULT_KNEE_PARAMS, marginalGainFraction: 0.05 })?.concurrency).toBe(32);
  });

  it('half-latency gives c = 16 (48 ≤ 2 × 33, 97 > 66)', () => {
    const knee = halfLatencyRule.check(levels, DEFAULT_KNEE_PARAMS);
    expect(knee?.concurrency).toBe(16);
    expect(knee?.detail).toContain('33 → 66');
  });

  it('findKnees lists every rule that places a knee in preference order (no SLOs: no slo-attainment knee)', () => {
    expect(findKnees(levels).map((k) => [k.rule, k.concurrency])).toEqual([
      ['latency-bound', 32],
      ['marginal-gain', 16],
      ['half-latency', 16],
    ]);
    expect(KNEE_RULES.map((r) => r.id)).toEqual(['slo-attainment', 'latency-bound', 'marginal-gain', 'half-latency']);
  });
});

describe('knee rules on synthetic curves', () => {
  it('marginal-gain finds no knee on a curve that keeps paying', () => {
    const linear = [1, 2, 4, 8].map((c) => level(c, 100 * c, 20 + c));
    expect(marginalGainRule.check(linear, DEFAULT_KNEE_PARAMS)).toBeUndefined();
  });

  it('marginal-gain stops where throughput stops rising, even at no latency cost', () => {
    const flat = [level(1, 100, 20), level(2, 200, 20), level(4, 190, 20)];
    expect(marginalGainRule.check(flat, DEFAULT_KNEE_PARAMS)?.concurrency).toBe(2);
  });

  it('marginal-gain needs two levels', () => {
    expect(marginalGainRule.check([level(1, 10, 10)], DEFAULT_KNEE_PARAMS)).toBeUndefined();
  });

  it('findKnees ignores levels without successes and sorts by concurrency', () => {
    const levels = [level(4, 0, 0, { ok: 0 }), level(2, 50, 30), level(1, 30, 20)];
    expect(findKnees(levels).find((k) => k.rule === 'latency-bound')?.concurrency).toBe(2);
  });

  it('half-latency uses the best level even when the sweep does not start at c = 1', () => {
    const levels = [level(8, 200, 40), level(16, 300, 30), level(32, 400, 59), level(64, 420, 61)];
    expect(halfLatencyRule.check(levels, DEFAULT_KNEE_PARAMS)?.concurrency).toBe(32);
  });
});
