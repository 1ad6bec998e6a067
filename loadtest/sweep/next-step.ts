import type { LevelResult, StopReason } from '../../lib/results/records';
import { byConcurrency, firstBadLevel, STOP_RULES, type StopRule, type StopRuleConfig } from './stop-rules';

/** How a sweep's levels are chosen: a fixed list in order, or the adaptive search up to a cap. */
export type LevelPlan =
  | { readonly mode: 'list'; readonly levels: readonly number[] }
  | { readonly mode: 'auto'; readonly maxConcurrency: number };

/** The sweep's next move: measure a level, or stop and say why. */
export type NextStep = { readonly concurrency: number } | { readonly stop: StopReason };

/**
 * The one sweep decision, used by the CLI sweep and the state machine alike.
 *
 * The stop rules are judged on every measured level, each against the levels below it: the sweep
 * stops at the first level (by concurrency) that breaks a rule, in both modes.
 * - list: the first listed level not yet measured, in the list's order; `completed` when none is left.
 * - auto: 1, then doubling while no rule fires (up to `maxConcurrency`, then `completed`); after the
 *   first bad level, bisection between it and the last good level until the two are adjacent, and
 *   the stop names the first bad level's rule.
 * A returned level is never one already measured, so a resumed sweep measures nothing twice.
 */
export function nextStep(plan: LevelPlan, measured: readonly LevelResult[], rules: StopRuleConfig, ruleSet: readonly StopRule[] = STOP_RULES): NextStep {
  const sorted = byConcurrency(measured);
  const bad = firstBadLevel(sorted, rules, ruleSet);
  if (plan.mode === 'list') {
    if (bad !== undefined) return { stop: bad.reason };
    const done = new Set(sorted.map((l) => l.concurrency));
    const next = plan.levels.find((c) => !done.has(c));
    if (next !== undefined) return { concurrency: next };
    return { stop: { rule: 'completed', detail: `every listed level measured (c = ${plan.levels.join(', ')})` } };
  }
  if (sorted.length === 0) return { concurrency: 1 };
  if (bad === undefined) {
    const top = sorted[sorted.length - 1].concurrency;
    if (top >= plan.maxConcurrency) return { stop: { rule: 'completed', detail: `reached the highest allowed level, c=${plan.maxConcurrency}, with no stop rule firing` } };
    return { concurrency: Math.min(top * 2, plan.maxConcurrency) };
  }
  if (bad.index === 0) return { stop: bad.reason };
  const lastGood = sorted[bad.index - 1].concurrency;
  return bad.concurrency - lastGood <= 1 ? { stop: bad.reason } : { concurrency: Math.floor((lastGood + bad.concurrency) / 2) };
}
