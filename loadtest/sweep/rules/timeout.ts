import type { StopRule } from './types';

/** Any request hitting the invocation deadline: beyond this level the endpoint is not feasible. */
export const timeoutRule: StopRule = {
  id: 'timeout',
  description: 'a request hit the invocation timeout',
  check(levels, cfg) {
    const last = levels[levels.length - 1];
    if (last.timeouts > 0) return `${last.timeouts} of ${last.requests} requests hit the ${cfg.invocationTimeoutMs} ms deadline at c=${last.concurrency}`;
    if (last.ok > 0 && last.e2eMs.max >= cfg.invocationTimeoutMs) {
      return `slowest request took ${Math.round(last.e2eMs.max)} ms ≥ the ${cfg.invocationTimeoutMs} ms deadline at c=${last.concurrency}`;
    }
    return undefined;
  },
};
