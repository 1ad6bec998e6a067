export { distributionOf, nearestRank, EMPTY_DISTRIBUTION } from './distribution';
export { summarizeLevel, errorRate, type SummarizeLevelOptions } from './summarize-level';
export { summarizeSweep, isFeasible, candidateLevels, type SummarizeSweepInput, type FeasibilityOptions } from './summarize-sweep';
export { costPerMillionTokensUsd } from './cost';
export { KNEE_RULES, DEFAULT_KNEE_PARAMS, findKnees, type KneeParams, type KneeRuleDefinition } from './knee';
export { recommend, type Recommendation, type RecommendationGoal, type RecommendOptions } from './recommend';
export { withLatencyBound } from './with-latency-bound';
export { withPrices } from './with-prices';
export * from './defaults';
