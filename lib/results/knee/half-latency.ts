import type { KneeRuleDefinition } from './types';

/**
 * Half-latency rule ("half speed"): the highest concurrency whose p50 ms/token is at most
 * `latencyGrowthFactor` (default 2) × the best p50 ms/token of the sweep, i.e. the last level
 * before each request's token rate falls below half of what a lightly loaded endpoint gives.
 * The best level is normally c = 1; the minimum is used so a sweep not starting at 1 still works.
 */
export const halfLatencyRule: KneeRuleDefinition = {
  id: 'half-latency',
  description: 'highest concurrency whose p50 ms/token is at most twice the best (per-request speed halves past it)',
  check(levels, params) {
    if (levels.length === 0) return undefined;
    const best = Math.min(...levels.map((l) => l.latencyMsPerToken.p50));
    const limit = params.latencyGrowthFactor * best;
    const within = levels.filter((l) => l.latencyMsPerToken.p50 <= limit);
    const knee = within[within.length - 1];
    return {
      concurrency: knee.concurrency,
      detail: `p50 ms/token ≤ ${params.latencyGrowthFactor} × best (${round(best)} → ${round(limit)})`,
    };
  },
};

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
