import { findKnees, sloAttainmentKneeRule, DEFAULT_KNEE_PARAMS } from '../../../lib/results/knee';
import { summarizeSweep } from '../../../lib/results/summarize-sweep';
import type { LevelResult } from '../../../lib/results/records';
import { level } from '../fixtures';

const judged = (c: number, msPerToken: number, attainment: number): LevelResult => ({
  ...level(c, 30 * c, msPerToken),
  slo: { e2eMs: 5000 },
  goodput: { requestsPerS: c / 10, tokensPerS: 25 * c * attainment, attainment },
});

describe('knee by SLO attainment', () => {
  // Attainment falls below 90 % past c=8; ms/token stays under the 100 ms latency bound up to c=16.
  const levels = [judged(1, 30, 1), judged(4, 35, 0.99), judged(8, 45, 0.92), judged(16, 80, 0.6), judged(32, 160, 0.1)];

  it('places the knee at the highest level meeting the attainment target, before the latency rules', () => {
    const knees = findKnees(levels);
    expect(knees[0]).toEqual({ concurrency: 8, rule: 'slo-attainment', detail: 'SLO attainment ≥ 90 %' });
    expect(knees.find((k) => k.rule === 'latency-bound')?.concurrency).toBe(16);
    expect(findKnees(levels, { minSloAttainment: 0.5 })[0]).toMatchObject({ concurrency: 16, detail: 'SLO attainment ≥ 50 %' });
  });

  it('places none for levels not judged on SLOs or none meeting the target', () => {
    expect(sloAttainmentKneeRule.check([level(1, 30, 30), level(2, 60, 31)], DEFAULT_KNEE_PARAMS)).toBeUndefined();
    expect(sloAttainmentKneeRule.check(levels, { ...DEFAULT_KNEE_PARAMS, minSloAttainment: 1.01 })).toBeUndefined();
    expect(findKnees([level(1, 30, 30), level(2, 60, 31)])[0].rule).toBe('latency-bound');
  });

  it('the sweep\'s knee uses its attainment target', () => {
    const sweep = (minSloAttainment?: number) =>
      summarizeSweep({ label: 's', target: { kind: 'tgi', address: 'x' }, payload: { inputTokens: 1, outputTokens: 1 }, levels, startedAt: 't', ...(minSloAttainment !== undefined ? { minSloAttainment } : {}) });
    expect(sweep().knee).toMatchObject({ concurrency: 8, rule: 'slo-attainment' });
    expect(sweep(0.99).knee).toMatchObject({ concurrency: 4, rule: 'slo-attainment' });
  });
});
