import { DEFAULT_MAX_ERROR_RATE, DEFAULT_PLATEAU_GAIN, SAGEMAKER_INVOCATION_TIMEOUT_MS } from '../../lib/results/defaults';
import type { LevelResult, StopReason } from '../../lib/results/records';
import { errorRateRule } from './rules/error-rate';
import { isClientBound } from '../../lib/results/client-verdict';
import { latencySloRule } from './rules/latency-slo';
import { sloAttainmentRule } from './rules/slo-attainment';
import { plateauRule } from './rules/plateau';
import { timeoutRule } from './rules/timeout';
import type { StopRule, StopRuleConfig } from './rules/types';

export type { StopRule, StopRuleConfig } from './rules/types';

/** The rules in the order they are checked (the first that fires names the stop). */
export const STOP_RULES: readonly StopRule[] = [timeoutRule, errorRateRule, latencySloRule, sloAttainmentRule, plateauRule];

export const DEFAULT_STOP_RULES: StopRuleConfig = {
  invocationTimeoutMs: SAGEMAKER_INVOCATION_TIMEOUT_MS,
  maxErrorRate: DEFAULT_MAX_ERROR_RATE,
  plateauGain: DEFAULT_PLATEAU_GAIN,
};

export function byConcurrency(levels: readonly LevelResult[]): LevelResult[] {
  return [...levels].sort((a, b) => a.concurrency - b.concurrency);
}

/**
 * Judges the highest level of `levels` (against the lower ones) by every rule; the first that fires
 * names the stop. A client-bound level is no evidence about the server: when the highest level is
 * client-bound no rule fires, and client-bound lower levels are left out of the comparison.
 */
export function evaluateStopRules(levels: readonly LevelResult[], cfg: StopRuleConfig, rules: readonly StopRule[] = STOP_RULES): StopReason | undefined {
  if (levels.length === 0) return undefined;
  const all = byConcurrency(levels);
  if (isClientBound(all[all.length - 1])) return undefined;
  const sorted = all.filter((l) => !isClientBound(l));
  for (const rule of rules) {
    const detail = rule.check(sorted, cfg);
    if (detail !== undefined) return { rule: rule.id, detail };
  }
  return undefined;
}

/** The first level (by concurrency) at which a stop rule fires, judged on the levels up to it. */
export function firstBadLevel(
  measured: readonly LevelResult[],
  cfg: StopRuleConfig,
  rules: readonly StopRule[] = STOP_RULES,
): { readonly index: number; readonly concurrency: number; readonly reason: StopReason } | undefined {
  const sorted = byConcurrency(measured);
  for (let i = 0; i < sorted.length; i++) {
    const reason = evaluateStopRules(sorted.slice(0, i + 1), cfg, rules);
    if (reason !== undefined) return { index: i, concurrency: sorted[i].concurrency, reason };
  }
  return undefined;
}
