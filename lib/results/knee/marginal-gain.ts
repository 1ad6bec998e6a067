import type { LevelResult } from '../records';
import type { KneeRuleDefinition } from './types';

/** Δthroughput / Δlatency between two adjacent levels (tokens/s per ms/token, mean ms/token). */
function slope(from: LevelResult, to: LevelResult): number {
  const gainTokensPerS = to.throughputTokensPerS - from.throughputTokensPerS;
  const costMsPerToken = to.latencyMsPerToken.mean - from.latencyMsPerToken.mean;
  if (gainTokensPerS <= 0) return 0;
  // Throughput gained without any latency added is free: it always pays.
  return costMsPerToken <= 0 ? Infinity : gainTokensPerS / costMsPerToken;
}

/**
 * Marginal gain: walking up the levels, each step's Δthroughput / Δ(mean ms/token) is compared
 * with the reference slope, that of the first step where latency rose (steps that add throughput
 * at no latency cost pass; steps that add no throughput fail). The knee is the last level reached
 * before the first step whose slope falls below `marginalGainFraction` (default 10 %) of the
 * reference. Undefined with fewer than two levels, or when every step still pays (no bend measured).
 */
export const marginalGainRule: KneeRuleDefinition = {
  id: 'marginal-gain',
  description: 'last level before Δthroughput/Δlatency falls below a fraction of the first rising step',
  check(levels, params) {
    let reference: number | undefined;
    for (let i = 1; i < levels.length; i++) {
      const s = slope(levels[i - 1], levels[i]);
      if (reference === undefined && Number.isFinite(s) && s > 0) reference = s;
      const threshold = (reference ?? 0) * params.marginalGainFraction;
      if (s === 0 || s < threshold) {
        return {
          concurrency: levels[i - 1].concurrency,
              detail: `Δtokens/s per Δms/token < ${Math.round(params.marginalGainFraction * 100)} % of first rising step`,
        };
      }
    }
    return undefined;
  },
};
