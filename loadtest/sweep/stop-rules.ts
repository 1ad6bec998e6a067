import { DEFAULT_MAX_ERROR_RATE, DEFAULT_PLATEAU_GAIN, SAGEMAKER_INVOCATION_TIMEOUT_MS } from '../../lib/results/defaults';
import type { LevelResult } from '../../lib/results/records';
import { errorRateRule } from './rules/error-rate';
import { latencySloRule } from './rules/latency-slo';
import { plateauRule } from './rules/plateau';
import { timeoutRule } from './rules/timeout';
import type { StopRule, StopRuleConfig } from './rules/types';

export type { StopRule, StopRuleConfig } from './rules/types';

/** The rules in the order they are checked (the first that fires names the stop). */
export const STOP_RULES: readonly StopRule[] = [timeoutRule, errorRateRule, latencySloRule, plateauRule];

export const DEFAULT_STOP_RULES: StopRuleConfig = {
  invocationTimeoutMs: SAGEMAKER_INVOCATION_TIMEOUT_MS,
  maxErrorRate: DEFAULT_MAX_ERROR_RATE,
  plateauGain: DEFAULT_PLATEAU_GAIN,
};

export type StopDecision = { readonly stop: true; readonly rule: string; readonly detail: string } | { readonly stop: false };

export function byConcurrency(levels: readonly LevelResult[]): LevelResult[] {
  return [...levels].sort((a, b) => a.concurrency - b.concurrency);
}

/** Judges the highest level measured so far against every rule. */
export function evaluateStopRules(levels: readonly LevelResult[], cfg: StopRuleConfig, rules: readonly StopRule[] = STOP_RULES): StopDecision {
  if (levels.length === 0) return { stop: false };
  const sorted = byConcurrency(levels);
  for (const rule of rules) {
    const detail = rule.evaluate(sorted, cfg);
    if (detail !== undefined) return { stop: true, rule: rule.name, detail };
  }
  return { stop: false };
}
