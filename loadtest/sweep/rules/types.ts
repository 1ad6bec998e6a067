import type { LevelResult, StopRuleId } from '../../../lib/results/records';
import type { Rule } from '../../../lib/results/rule';

/** Parameters of the stop rules of a sweep. */
export interface StopRuleConfig {
  /** Invocation deadline, ms (SageMaker real-time: 60000). */
  readonly invocationTimeoutMs: number;
  /** Highest tolerated share of failed requests (timeouts excluded: they have their own rule), e.g. 0.01. */
  readonly maxErrorRate: number;
  /** Smallest throughput gain per doubling of concurrency worth going on for, e.g. 0.05 (5 %). */
  readonly plateauGain: number;
  /** Mean ms/token above which the sweep stops (a latency SLO). @default no SLO */
  readonly latencySloMsPerToken?: number;
  /** Smallest share of requests meeting every SLO (levels judged on `slo`), e.g. 0.9. @default no rule */
  readonly minSloAttainment?: number;
}

/**
 * One stop rule: looks at the levels measured so far (sorted by concurrency; the level under
 * judgement is the last) and returns a detail when the sweep should not go higher. Client-bound
 * levels are never handed to a rule (they say nothing about the server).
 */
export type StopRule = Rule<StopRuleId, [levels: readonly LevelResult[], cfg: StopRuleConfig], string>;
