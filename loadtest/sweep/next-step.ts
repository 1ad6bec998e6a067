import type { LevelResult, StopReason } from '../../lib/results/records';
import { Z_975 } from '../../lib/results/confidence';
import { byConcurrency, firstBadLevel, STOP_RULES, type StopRule, type StopRuleConfig } from './stop-rules';

/** How a sweep's levels are chosen: a fixed list in order, or the adaptive search up to a cap. */
export type LevelPlan =
  | { readonly mode: 'list'; readonly levels: readonly number[] }
  | { readonly mode: 'auto'; readonly maxConcurrency: number };

/** The sweep's next move: measure a level, or stop and say why. */
export type NextStep = { readonly concurrency: number } | { readonly stop: StopReason };

/** Parameters of the adaptive search (`auto`). */
export interface SearchParams {
  /**
   * A refinement level m between a and b is measured only when m − a ≥ minRelativeStep × a and
   * b − m ≥ minRelativeStep × m (and both ≥ 1): no c=35 after c=34.
   */
  readonly minRelativeStep: number;
  /**
   * Scaling efficiency (T₂/T₁) / (c₂/c₁) of the last step at or above which throughput still grows in
   * proportion to concurrency, so the next step skips a level (×4 instead of ×2).
   */
  readonly linearEfficiency: number;
}

export const DEFAULT_SEARCH: SearchParams = { minRelativeStep: 0.25, linearEfficiency: 0.75 };

/**
 * The measured noise of a level's throughput, as a 95 % half-width in tokens/s: the repeats' Student-t
 * half-width when the level was repeated, else the counting estimate 1.96 × T / √ok (a count of n
 * completions in a window has a standard deviation of about √n).
 */
export function throughputNoise(level: LevelResult): number {
  if (level.repeats !== undefined && level.repeats.n > 1) return level.repeats.throughputTokensPerS.halfWidth95;
  return level.ok > 0 ? (Z_975 * level.throughputTokensPerS) / Math.sqrt(level.ok) : Infinity;
}

/** Whether two levels' throughputs differ by more than their combined noise √(n₁² + n₂²). */
export function differsBeyondNoise(a: LevelResult, b: LevelResult): boolean {
  const noise = Math.hypot(throughputNoise(a), throughputNoise(b));
  return Math.abs(a.throughputTokensPerS - b.throughputTokensPerS) > noise;
}

/** The refinement level between a and b (geometric midpoint), or undefined when the step would be useless. */
export function refinementBetween(a: number, b: number, params: SearchParams = DEFAULT_SEARCH): number | undefined {
  const m = Math.round(Math.sqrt(a * b));
  const useful = (from: number, to: number): boolean => to - from >= Math.max(1, params.minRelativeStep * from);
  return m > a && m < b && useful(a, m) && useful(m, b) ? m : undefined;
}

/** Whether the last step scaled (nearly) linearly, so the search may skip a level. */
function scalesLinearly(lower: LevelResult, upper: LevelResult, params: SearchParams): boolean {
  if (lower.throughputTokensPerS <= 0) return false;
  return upper.throughputTokensPerS / lower.throughputTokensPerS / (upper.concurrency / lower.concurrency) >= params.linearEfficiency;
}

/**
 * The one sweep decision, used by the CLI sweep and the state machine alike.
 *
 * The stop rules are judged on every measured level, each against the levels below it: the sweep
 * stops at the first level (by concurrency) that breaks a rule, in both modes.
 * - list: the first listed level not yet measured, in the list's order; `completed` when none is left.
 * - auto: 1, then 2; then ×4 while the last step scaled linearly (efficiency ≥ `linearEfficiency`),
 *   else ×2, while no rule fires (up to `maxConcurrency`, then `completed`). After the first bad level
 *   B (last good level G), the search refines between G and B at their geometric midpoint only when
 *   the step is useful (`minRelativeStep`) and there is something to find: for a plateau, G's and B's
 *   throughputs differ beyond their measured noise or a doubling was skipped between them; for the
 *   timeout, error-rate and latency rules (a feasibility boundary), always. The stop names the
 *   first bad level's rule.
 * A returned level is never one already measured, so a resumed sweep measures nothing twice.
 */
export function nextStep(
  plan: LevelPlan,
  measured: readonly LevelResult[],
  rules: StopRuleConfig,
  ruleSet: readonly StopRule[] = STOP_RULES,
  params: SearchParams = DEFAULT_SEARCH,
): NextStep {
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
    const top = sorted[sorted.length - 1];
    if (top.concurrency >= plan.maxConcurrency) {
      return { stop: { rule: 'completed', detail: `reached the highest allowed level, c=${plan.maxConcurrency}, with no stop rule firing` } };
    }
    const below = sorted.length >= 2 ? sorted[sorted.length - 2] : undefined;
    const factor = below !== undefined && scalesLinearly(below, top, params) ? 4 : 2;
    return { concurrency: Math.min(top.concurrency * factor, plan.maxConcurrency) };
  }
  if (bad.index === 0) return { stop: bad.reason };
  const good = sorted[bad.index - 1];
  const worst = sorted[bad.index];
  const m = refinementBetween(good.concurrency, worst.concurrency, params);
  if (m === undefined) return { stop: bad.reason };
  const worthIt = bad.reason.rule !== 'plateau' || worst.concurrency > 2 * good.concurrency || differsBeyondNoise(good, worst);
  return worthIt ? { concurrency: m } : { stop: bad.reason };
}
