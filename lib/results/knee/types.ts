import { DEFAULT_LATENCY_BOUND_MS_PER_TOKEN, DEFAULT_MIN_SLO_ATTAINMENT } from '../defaults';
import type { Knee, KneeRule, LevelResult } from '../records';
import type { Rule } from '../rule';

/** Parameters shared by the knee rules. */
export interface KneeParams {
  /**
   * Latency bound of the latency-bound rule, ms per output token (p50).
   * @default 100
   */
  readonly latencyBoundMsPerToken: number;
  /**
   * Marginal-gain rule: a step still pays while its Δthroughput / Δlatency is at least this
   * fraction of the reference (first rising) segment's.
   * @default 0.1
   */
  readonly marginalGainFraction: number;
  /**
   * Half-latency rule: how many times the best ms/token a level may reach.
   * @default 2
   */
  readonly latencyGrowthFactor: number;
  /**
   * SLO-attainment rule: the share of requests meeting every SLO a level must reach.
   * @default 0.9
   */
  readonly minSloAttainment: number;
}

export const DEFAULT_KNEE_PARAMS: KneeParams = {
  latencyBoundMsPerToken: DEFAULT_LATENCY_BOUND_MS_PER_TOKEN,
  marginalGainFraction: 0.1,
  latencyGrowthFactor: 2,
  minSloAttainment: DEFAULT_MIN_SLO_ATTAINMENT,
};

/** Where a knee rule places the knee; `findKnees` adds the rule's id. */
export type KneePlacement = Omit<Knee, 'rule'>;

/**
 * One knee rule. `check` receives the levels sorted by concurrency, each with at least one
 * successful request, and returns where the knee is, or undefined when the rule cannot place one.
 */
export type KneeRuleDefinition = Rule<Exclude<KneeRule, 'predicted'>, [levels: readonly LevelResult[], params: KneeParams], KneePlacement>;
