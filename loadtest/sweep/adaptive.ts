import type { LevelResult } from '../../lib/results/records';
import { byConcurrency, evaluateStopRules, type StopDecision, type StopRuleConfig } from './stop-rules';

export interface AdaptiveConfig {
  readonly maxConcurrency: number;
  readonly stopRules: StopRuleConfig;
}

/** The first level (by concurrency) at which a stop rule fires, judged on the levels up to it. */
export function firstBadLevel(measured: readonly LevelResult[], stopRules: StopRuleConfig): { index: number; decision: StopDecision } | undefined {
  const sorted = byConcurrency(measured);
  for (let i = 0; i < sorted.length; i++) {
    const decision = evaluateStopRules(sorted.slice(0, i + 1), stopRules);
    if (decision.stop) return { index: i, decision };
  }
  return undefined;
}

/**
 * The next concurrency of an adaptive sweep: 1, then doubling while no stop rule fires, then
 * bisection between the last good and the first bad level until they are adjacent.
 * `undefined` when the sweep is done.
 */
export function nextAdaptiveLevel(measured: readonly LevelResult[], cfg: AdaptiveConfig): number | undefined {
  if (measured.length === 0) return 1;
  const sorted = byConcurrency(measured);
  const bad = firstBadLevel(sorted, cfg.stopRules);
  if (bad === undefined) {
    const top = sorted[sorted.length - 1].concurrency;
    return top >= cfg.maxConcurrency ? undefined : Math.min(top * 2, cfg.maxConcurrency);
  }
  if (bad.index === 0) return undefined;
  const firstBad = sorted[bad.index].concurrency;
  const lastGood = sorted[bad.index - 1].concurrency;
  return firstBad - lastGood <= 1 ? undefined : Math.floor((lastGood + firstBad) / 2);
}
