import { recommend } from '../../lib/results/recommend';
import { summarizeSweep } from '../../lib/results/summarize-sweep';
import { maxGoodputOf, minCostAtSloOf } from '../../lib/results/slo-figures';
import { summarizeFleet } from '../../lib/results/fleet-summary';
import { upgradeSweepResult, type StoredSweepResult } from '../../lib/results/stop-reason';
import { withPrices } from '../../lib/results/with-prices';
import { SWEEP_RESULT_VERSION, type LevelResult, type SweepResult } from '../../lib/results/records';
import { level } from './fixtures';

/** A level judged on SLOs: goodput tokens/s and attainment as given. */
function judged(c: number, tokensPerS: number, goodputTokensPerS: number, attainment: number, extra: Partial<LevelResult> = {}): LevelResult {
  return { ...level(c, tokensPerS, 30), slo: { e2eMs: 5000 }, goodput: { requestsPerS: goodputTokensPerS / 256, tokensPerS: goodputTokensPerS, attainment }, ...extra };
}

const CLIENT_BOUND = { client: { verdict: 'client-bound' as const, sendLagMsP99: 60, eventLoopDelayMsP99: 3, cpuPct: 40, reasons: ['send lag p99 60.0 ms > 25 ms'] } };

function sweep(label: string, levels: LevelResult[], hourlyUsd?: number, minSloAttainment?: number): SweepResult {
  return summarizeSweep({
    label,
    target: { kind: 'tgi', address: label },
    payload: { inputTokens: 256, outputTokens: 256 },
    startedAt: '2026-01-01T00:00:00.000Z',
    levels,
    ...(hourlyUsd !== undefined ? { deployment: { hourlyUsd, instanceType: 'ml.g5.2xlarge', instances: 1 } } : {}),
    ...(minSloAttainment !== undefined ? { minSloAttainment } : {}),
  });
}

// Goodput peaks at c=16 (attainment 80 %); the cheapest level meeting 90 % is c=8 (goodput 300 tokens/s).
const LEVELS = [judged(1, 30, 30, 1), judged(4, 110, 108, 0.98), judged(8, 320, 300, 0.94), judged(16, 480, 384, 0.8), judged(32, 500, 100, 0.2), judged(64, 520, 900, 0.95, CLIENT_BOUND)];

describe('SLO figures: max goodput and $ per 1M tokens at SLO', () => {
  it('max goodput is the level with the highest goodput tokens/s, client-bound levels left out', () => {
    expect(maxGoodputOf(LEVELS)).toEqual({ concurrency: 16, tokensPerS: 384, attainment: 0.8 });
    expect(maxGoodputOf([level(1, 30, 30)])).toBeUndefined();
  });

  it('$ per 1M tokens at SLO: the cheapest level meeting the attainment, costed on goodput tokens', () => {
    // 1.515 USD/h × 10^6 / (300 tokens/s × 3600) = 1.4028 USD.
    const atSlo = minCostAtSloOf(LEVELS, 1.515, 0.9);
    expect(atSlo).toMatchObject({ concurrency: 8, goodputTokensPerS: 300, attainment: 0.94, minAttainment: 0.9 });
    expect(atSlo?.usdPerMillionTokens).toBeCloseTo(1.515e6 / (300 * 3600), 12);
    // A lower target lets c=16 compete: 1.515e6 / (384 × 3600).
    expect(minCostAtSloOf(LEVELS, 1.515, 0.8)?.concurrency).toBe(16);
    expect(minCostAtSloOf(LEVELS, 1.515, 0.999)?.concurrency).toBe(1);
    expect(minCostAtSloOf(LEVELS, 1.515, 1.01)).toBeUndefined();
  });

  it('sweep.json carries both (version 4), a version 3 sweep reads as is, and re-pricing recomputes the cost at SLO', () => {
    const s = sweep('g5', LEVELS, 1.515, 0.9);
    expect(s.schemaVersion).toBe(SWEEP_RESULT_VERSION);
    expect(SWEEP_RESULT_VERSION).toBe(4);
    expect(s.maxGoodput).toEqual({ concurrency: 16, tokensPerS: 384, attainment: 0.8 });
    expect(s.minCostAtSlo?.concurrency).toBe(8);
    expect(sweep('unpriced', LEVELS).minCostAtSlo).toBeUndefined();
    expect(sweep('closed', [level(1, 30, 30)], 1.515)).not.toHaveProperty('maxGoodput');

    const { maxGoodput: _m, minCostAtSlo: _c, ...v3 } = s;
    const stored = { ...v3, schemaVersion: 3 } as StoredSweepResult;
    expect(upgradeSweepResult(stored)).toEqual({ ...v3, schemaVersion: 4 });

    const repriced = withPrices(s, { overrides: { 'ml.g5.2xlarge': 3.03 }, region: 'us-east-1' });
    expect(repriced.minCostAtSlo?.concurrency).toBe(8);
    expect(repriced.minCostAtSlo?.usdPerMillionTokens).toBeCloseTo(3.03e6 / (300 * 3600), 9);
  });

  it('recommends max goodput and $ per 1M tokens at SLO across configurations', () => {
    // 'big' has more goodput (600 tokens/s at c=16) but costs 7.09 USD/h: 7.09e6 / (600 × 3600) = 3.28 USD > 1.40 USD.
    const big = sweep('big', [judged(1, 60, 60, 1), judged(16, 650, 600, 0.93)], 7.09);
    const small = sweep('small', LEVELS, 1.515);
    const closed = sweep('closed', [level(1, 1000, 10)], 0.5);
    const recs = recommend([small, big, closed], { latencyBoundMsPerToken: 100 });
    const byGoal = Object.fromEntries(recs.map((r) => [r.goal, r]));
    expect(byGoal['max-goodput']).toMatchObject({ label: 'big', concurrency: 16, value: 600, unit: 'tokens/s' });
    expect(byGoal['min-cost-per-million-at-slo']).toMatchObject({ label: 'small', concurrency: 8, unit: 'USD/1M tokens' });
    expect(byGoal['min-cost-per-million-at-slo'].value).toBeCloseTo(1.515e6 / (300 * 3600), 9);
    expect(byGoal['min-cost-per-million-at-slo'].why).toContain('SLO attainment ≥ 90 %');
    // The unjudged configuration still wins the classic goals.
    expect(byGoal['min-cost-per-million'].label).toBe('closed');
    // With a 95 % target only c=1 and c=4 of 'small' compete: 1.515e6 / (108 × 3600).
    const strict = recommend([small, big], { latencyBoundMsPerToken: 100, minSloAttainment: 0.95 }).find((r) => r.goal === 'min-cost-per-million-at-slo');
    expect(strict).toMatchObject({ label: 'small', concurrency: 4 });
    // No sweep judged on SLOs: no SLO goal.
    expect(recommend([closed], { latencyBoundMsPerToken: 100 }).map((r) => r.goal)).not.toContain('max-goodput');
  });

  it('names an open-loop level by its offered rate', () => {
    const open = sweep('open', [judged(500, 100, 90, 0.97, { offeredRatePerS: 0.5 }), judged(1000, 190, 170, 0.91, { offeredRatePerS: 1 })], 1.515);
    const rec = recommend([open], { latencyBoundMsPerToken: 100 }).find((r) => r.goal === 'max-goodput');
    expect(rec).toMatchObject({ concurrency: 1000, offeredRatePerS: 1, value: 170 });
  });

  it('the fleet summary carries each deployment\'s SLO figures and the SLO goals', () => {
    const fleet = summarizeFleet(
      [
        { id: 'small', sweep: sweep('small', LEVELS, 1.515) },
        { id: 'big', sweep: sweep('big', [judged(1, 60, 60, 1), judged(16, 650, 600, 0.93)], 7.09) },
      ],
      { fleet: 'f', generatedAt: 't', latencyBoundMsPerToken: 100 },
    );
    expect(fleet.deployments[0].maxGoodput).toEqual({ concurrency: 16, tokensPerS: 384, attainment: 0.8 });
    expect(fleet.deployments[1].minCostAtSlo?.concurrency).toBe(16);
    expect(fleet.recommendations.find((r) => r.goal === 'max-goodput')).toMatchObject({ label: 'big', value: 600 });
    expect(fleet.recommendations.find((r) => r.goal === 'min-cost-per-million-at-slo')).toMatchObject({ label: 'small', concurrency: 8 });
  });
});
