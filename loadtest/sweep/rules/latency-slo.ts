import type { StopRule } from './types';

/** Mean latency per token above the SLO (when one is set). */
export const latencySloRule: StopRule = {
  id: 'latency-slo',
  description: 'mean ms/token above the latency SLO',
  check(levels, cfg) {
    const slo = cfg.latencySloMsPerToken;
    const last = levels[levels.length - 1];
    if (slo === undefined || last.ok === 0 || last.latencyMsPerToken.mean <= slo) return undefined;
    return `mean latency ${last.latencyMsPerToken.mean.toFixed(1)} ms/token > SLO ${slo} ms/token at c=${last.concurrency}`;
  },
};
