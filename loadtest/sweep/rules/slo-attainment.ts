import type { StopRule } from './types';

/** Share of requests meeting every SLO below the required attainment (when one is set and the level was judged on SLOs). */
export const sloAttainmentRule: StopRule = {
  id: 'slo-attainment',
  description: 'share of requests meeting every SLO below the required attainment',
  check(levels, cfg) {
    const required = cfg.minSloAttainment;
    const last = levels[levels.length - 1];
    if (required === undefined || last.goodput === undefined || last.goodput.attainment >= required) return undefined;
    const at = last.offeredRatePerS !== undefined ? `${last.offeredRatePerS} requests/s` : `c=${last.concurrency}`;
    return `SLO attainment ${(last.goodput.attainment * 100).toFixed(1)} % < ${(required * 100).toFixed(1)} % at ${at}`;
  },
};
