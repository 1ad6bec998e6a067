import type { KneeRuleDefinition } from './types';

/**
 * SLO attainment: the highest level whose share of requests meeting every SLO is at least
 * `minSloAttainment` (default 0.9), among levels judged on SLOs. The load a configuration carries
 * while users still get the service level asked for. Undefined when no level was judged on SLOs or
 * none reaches the target.
 */
export const sloAttainmentKneeRule: KneeRuleDefinition = {
  id: 'slo-attainment',
  description: 'highest level whose SLO attainment meets the target',
  check(levels, params) {
    const meeting = levels.filter((l) => l.goodput !== undefined && l.goodput.attainment >= params.minSloAttainment);
    const knee = meeting[meeting.length - 1];
    if (knee === undefined) return undefined;
    return { concurrency: knee.concurrency, detail: `SLO attainment ≥ ${Math.round(params.minSloAttainment * 1000) / 10} %` };
  },
};
