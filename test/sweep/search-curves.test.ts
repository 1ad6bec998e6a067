import { summarizeSweep } from '../../lib/results/summarize-sweep';
import type { LevelResult, StopReason, SweepResult } from '../../lib/results/records';
import { nextStep, type LevelPlan } from '../../loadtest/sweep/next-step';
import { DEFAULT_STOP_RULES } from '../../loadtest/sweep/stop-rules';
import type { StopRuleConfig } from '../../loadtest/sweep/stop-rules';
import { level } from '../support/levels';

/**
 * The adaptive search run to its end on synthetic endpoints (a curve gives each level's throughput,
 * ms/token and timeouts), against the full grid 1..128 on the same curve: how many levels each
 * measures, and whether auto finds the grid's max throughput and knee.
 */

interface Point {
  readonly tokensPerS: number;
  readonly msPerToken: number;
  readonly timeouts?: number;
}
type Curve = (c: number) => Point;

const GRID = [1, 2, 4, 8, 16, 32, 64, 128];
const OUTPUT_TOKENS = 256;

function measure(curve: Curve, c: number): LevelResult {
  const p = curve(c);
  const requests = 200;
  return level(c, p.tokensPerS, { msPerToken: p.msPerToken, requests, ...(p.timeouts ? { errors: { timeout: p.timeouts } } : {}) });
}

/** Measures what the decision asks for until it stops (at most 20 levels). */
function simulate(curve: Curve, plan: LevelPlan, rules: StopRuleConfig): { levels: LevelResult[]; stop: StopReason } {
  const levels: LevelResult[] = [];
  for (let i = 0; i < 20; i++) {
    const step = nextStep(plan, levels, rules);
    if ('stop' in step) return { levels, stop: step.stop };
    levels.push(measure(curve, step.concurrency));
  }
  throw new Error(`no stop after 20 levels: ${levels.map((l) => l.concurrency).join(', ')}`);
}

function summary(levels: readonly LevelResult[]): SweepResult {
  return summarizeSweep({ label: 's', target: { kind: 'tgi', address: 'x' }, payload: { inputTokens: 256, outputTokens: OUTPUT_TOKENS }, levels, startedAt: 't' });
}

/** The bench's cost model of a level: a 60 s window extended to 3 completions per slot, then one request's drain (endpoint s). */
function levelCost(l: LevelResult): number {
  const e2eS = (l.latencyMsPerToken.p50 * OUTPUT_TOKENS) / 1000;
  return Math.max(60, 3 * e2eS) + e2eS;
}

// The CLI's defaults: auto stops on a plateau gain below 5 % per doubling; a list measures every level.
const AUTO_RULES: StopRuleConfig = DEFAULT_STOP_RULES;
const LIST_RULES: StopRuleConfig = { ...DEFAULT_STOP_RULES, plateauGain: -Infinity };
const AUTO: LevelPlan = { mode: 'auto', maxConcurrency: 128 };

const concurrencies = (levels: readonly LevelResult[]): number[] => levels.map((l) => l.concurrency);

describe('adaptive search on synthetic curves', () => {
  it('monotone, latency flat (scales linearly to the cap): 1, 4, then the largest step, then the cap; 4 levels', () => {
    const { levels, stop } = simulate((c) => ({ tokensPerS: 30 * c, msPerToken: 33 }), AUTO, AUTO_RULES);
    expect(concurrencies(levels)).toEqual([1, 4, 64, 128]);
    expect(stop.rule).toBe('completed');
  });

  it('monotone, latency growing linearly with the batch: jumps to the predicted knees, knee on the grid\'s; 5 levels', () => {
    // ms/token = 32 + c; each request at 1000/ms/token tokens/s: T = 1000c / (32 + c), no plateau below 128.
    const curve: Curve = (c) => ({ tokensPerS: (1000 * c) / (32 + c), msPerToken: 32 + c });
    const auto = simulate(curve, AUTO, AUTO_RULES);
    expect(concurrencies(auto.levels)).toEqual([1, 4, 32, 64, 128]);
    const grid = simulate(curve, { mode: 'list', levels: GRID }, LIST_RULES);
    expect(summary(auto.levels).knee).toEqual(summary(grid.levels).knee);
    expect(summary(auto.levels).knee?.concurrency).toBe(64);
  });

  it('plateau (saturates at c=16, latency flat before): overshoots, brackets the knee back to one grid level; 5 levels', () => {
    const curve: Curve = (c) => ({ tokensPerS: Math.min(30 * c, 480), msPerToken: 33 * Math.max(1, (30 * c) / 480) });
    const auto = simulate(curve, AUTO, AUTO_RULES);
    expect(concurrencies(auto.levels)).toEqual([1, 4, 64, 16, 32]);
    expect(auto.stop.rule).toBe('plateau');
    const grid = simulate(curve, { mode: 'list', levels: GRID }, LIST_RULES);
    const [a, g] = [summary(auto.levels), summary(grid.levels)];
    expect(a.maxThroughput).toEqual(g.maxThroughput);
    expect(a.knee).toEqual(g.knee);
  });

  describe('a knee with noise (the local g5.2xlarge curve, ±2 % throughput, ±1 % ms/token per measurement)', () => {
    // Measured by bench:sweep-cost (serve-local ml.g5.2xlarge, Llama 2 7B, 256/256, speedup 50): tokens/s, p50 ms/token, timeouts.
    const MEASURED: Record<number, Point> = {
      1: { tokensPerS: 29.9, msPerToken: 33.4 },
      2: { tokensPerS: 57.8, msPerToken: 34.5 },
      4: { tokensPerS: 108.9, msPerToken: 36.6 },
      8: { tokensPerS: 194.1, msPerToken: 41.1 },
      16: { tokensPerS: 310.9, msPerToken: 49.5 },
      32: { tokensPerS: 474.4, msPerToken: 66.5 },
      64: { tokensPerS: 433.6, msPerToken: 137.3 },
      128: { tokensPerS: 243.2, msPerToken: 235.8, timeouts: 236 },
    };
    /** A seeded draw in [−1, 1] (mulberry32). */
    function noise(seed: number): () => number {
      let a = seed >>> 0;
      return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
      };
    }
    const noisy = (seed: number): Curve => {
      const draw = noise(seed);
      return (c) => {
        const p = MEASURED[c];
        if (p === undefined) throw new Error(`the search asked for c=${c}, off the grid`);
        return { ...p, tokensPerS: p.tokensPerS * (1 + 0.02 * draw()), msPerToken: p.msPerToken * (1 + 0.01 * draw()) };
      };
    };

    it.each(Array.from({ length: 20 }, (_, i) => [i + 1]))('seed %i: 4 levels (1, 4, 32, 64), max within 5 % and knee within one grid level of the grid, ≤ 50 % of its cost', (seed) => {
      const auto = simulate(noisy(seed), AUTO, AUTO_RULES);
      const grid = simulate(noisy(1000 + seed), { mode: 'list', levels: GRID }, LIST_RULES);
      expect(concurrencies(auto.levels)).toEqual([1, 4, 32, 64]);
      expect(auto.stop.rule).toBe('plateau');
      const [a, g] = [summary(auto.levels), summary(grid.levels)];
      expect(a.maxThroughput!.tokensPerS / g.maxThroughput!.tokensPerS).toBeGreaterThanOrEqual(0.95);
      expect(Math.abs(Math.log2(a.knee!.concurrency) - Math.log2(g.knee!.concurrency))).toBeLessThanOrEqual(1);
      const cost = (levels: readonly LevelResult[]): number => levels.reduce((sum, l) => sum + levelCost(l), 0);
      expect(cost(auto.levels) / cost(grid.levels)).toBeLessThanOrEqual(0.5);
    });
  });
});
