import type { Knee, LevelResult } from '../records';
import { halfLatencyRule } from './half-latency';
import { latencyBoundRule } from './latency-bound';
import { marginalGainRule } from './marginal-gain';
import { sloAttainmentKneeRule } from './slo-attainment';
import { DEFAULT_KNEE_PARAMS, type KneeParams, type KneePlacement, type KneeRuleDefinition } from './types';

export { DEFAULT_KNEE_PARAMS, halfLatencyRule, latencyBoundRule, marginalGainRule, sloAttainmentKneeRule };
export type { KneeParams, KneePlacement, KneeRuleDefinition };

/**
 * The knee rules in order of preference: a sweep's knee is the first one that places a knee. The
 * SLO-attainment rule places one only for levels judged on SLOs: when the user stated SLOs, the
 * knee is where they stop being met.
 */
export const KNEE_RULES: readonly KneeRuleDefinition[] = [sloAttainmentKneeRule, latencyBoundRule, marginalGainRule, halfLatencyRule];

/** The knee by every rule that places one, in KNEE_RULES order. Levels are sorted by concurrency here. */
export function findKnees(
  levels: readonly LevelResult[],
  params: Partial<KneeParams> = {},
  rules: readonly KneeRuleDefinition[] = KNEE_RULES,
): Knee[] {
  const full: KneeParams = { ...DEFAULT_KNEE_PARAMS, ...params };
  const sorted = [...levels].filter((l) => l.ok > 0).sort((a, b) => a.concurrency - b.concurrency);
  const knees: Knee[] = [];
  for (const rule of rules) {
    const placement = rule.check(sorted, full);
    if (placement) knees.push({ concurrency: placement.concurrency, rule: rule.id, ...(placement.detail !== undefined ? { detail: placement.detail } : {}) });
  }
  return knees;
}
