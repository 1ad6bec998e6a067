import type { KneeRuleDefinition } from './types';

/**
 * Latency bound: the highest concurrency whose p50 ms/token is strictly under the bound
 * (default 100 ms/token). Undefined when no level is under it.
 */
export const latencyBoundRule: KneeRuleDefinition = {
  id: 'latency-bound',
  description: 'highest concurrency whose p50 ms/token stays under the latency bound',
  check(levels, params) {
    const bound = params.latencyBoundMsPerToken;
    const under = levels.filter((l) => l.latencyMsPerToken.p50 < bound);
    if (under.length === 0) return undefined;
    const knee = under[under.length - 1];
    return { concurrency: knee.concurrency, detail: `p50 ms/token < ${bound}` };
  },
};
