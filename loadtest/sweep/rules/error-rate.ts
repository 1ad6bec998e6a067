import type { ErrorKind } from '../../../lib/results/records';
import type { StopRule } from './types';

/**
 * Errors above the allowed rate. Transient kinds (overloaded, throttled) are tolerated like any
 * other error up to the rate; timeouts are judged by their own rule.
 */
export const errorRateRule: StopRule = {
  id: 'error-rate',
  description: 'share of failed requests above the allowed rate',
  check(levels, cfg) {
    const last = levels[levels.length - 1];
    if (last.requests === 0) return `no request completed at c=${last.concurrency}`;
    let failed = 0;
    const parts: string[] = [];
    for (const [kind, count] of Object.entries(last.errors) as [ErrorKind, number][]) {
      if (kind === 'timeout' || count === 0) continue;
      failed += count;
      parts.push(`${kind} ${count}`);
    }
    const rate = failed / last.requests;
    if (rate <= cfg.maxErrorRate) return undefined;
    const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)} %`;
    return `error rate ${pct(rate)} > ${pct(cfg.maxErrorRate)} at c=${last.concurrency} (${parts.join(', ')})`;
  },
};
