import { intervalOf } from '../../lib/results/confidence';
import { SWEEP_RESULT_VERSION, type LevelResult, type SweepResult } from '../../lib/results/records';
import { checkRegression } from '../../loadtest/pipeline/regression';
import { level } from '../support/levels';

/** A level repeated three times with these throughputs and ms/token p50s. */
function repeated(c: number, throughputs: number[], msPerToken: number[]): LevelResult {
  const t = intervalOf(throughputs);
  const m = intervalOf(msPerToken);
  return { ...level(c, t.mean, { msPerToken: m.mean }), repeats: { n: throughputs.length, throughputTokensPerS: t, msPerTokenP50: m } };
}

function sweep(levels: LevelResult[], startedAt: string): SweepResult {
  const best = [...levels].sort((a, b) => b.throughputTokensPerS - a.throughputTokensPerS)[0];
  return {
    schemaVersion: SWEEP_RESULT_VERSION,
    label: 'x',
    startedAt,
    target: { kind: 'tgi', address: 'u' },
    payload: { inputTokens: 256, outputTokens: 256 },
    levels,
    maxThroughput: { concurrency: best.concurrency, tokensPerS: best.throughputTokensPerS },
  };
}

describe('checkRegression against the baseline interval', () => {
  // Baseline (--repeat 3): throughput at c=32 is 480 ± 4.303 × 20 / √3 ≈ 480 ± 49.7; ms/token at c=1 is 33 ± 2.5.
  const baseline = sweep([repeated(1, [30, 31, 32], [32, 33, 34]), repeated(32, [460, 480, 500], [60, 62, 64])], '2026-01-01T00:00:00Z');

  it('does not flag a 9 % drop that lies inside the baseline interval (the fixed 5 % threshold would have)', () => {
    const current = sweep([repeated(1, [31, 31, 31], [33, 33, 33]), repeated(32, [437, 437, 437], [62, 62, 62])], '2026-01-02T00:00:00Z');
    const check = checkRegression(current, baseline, 5);
    expect(check.throughputChangePct).toBeCloseTo(-8.96, 2);
    expect(check.throughputMethod).toBe('interval');
    expect(check.latencyMethod).toBe('interval');
    expect(check.regressed).toBe(false);
    expect(check.detail).toMatch(/throughput at c=32 -9.0% \(437.0 inside the baseline's 95 % CI \[430.3, 529.7\]\)/);
  });

  it('flags a throughput below the interval and a ms/token above it', () => {
    const slower = sweep([repeated(1, [31, 31, 31], [33, 33, 33]), repeated(32, [420, 425, 430], [62, 62, 62])], '2026-01-02T00:00:00Z');
    expect(checkRegression(slower, baseline, 50)).toMatchObject({ regressed: true, throughputMethod: 'interval' });
    const laggier = sweep([repeated(1, [31, 31, 31], [36, 36, 36]), repeated(32, [480, 480, 480], [62, 62, 62])], '2026-01-02T00:00:00Z');
    const check = checkRegression(laggier, baseline, 50);
    expect(check.regressed).toBe(true);
    expect(check.detail).toMatch(/ms\/token p50 at c=1 9.1% \(36.0 outside the baseline's 95 % CI \[30.5, 35.5\]\)/);
  });

  it('falls back to the fixed threshold when the baseline level was measured once', () => {
    const once = sweep([level(1, 31, { msPerToken: 33 }), level(32, 480, { msPerToken: 62 })], '2026-01-01T00:00:00Z');
    const current = sweep([level(1, 31, { msPerToken: 33 }), level(32, 437, { msPerToken: 62 })], '2026-01-02T00:00:00Z');
    const check = checkRegression(current, once, 5);
    expect(check).toMatchObject({ regressed: true, throughputMethod: 'threshold' });
    expect(check.detail).toMatch(/no baseline interval: threshold 5%/);
    expect(checkRegression(current, once, 10).regressed).toBe(false);
  });
});
