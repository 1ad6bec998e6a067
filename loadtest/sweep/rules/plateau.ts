import type { StopRule } from './types';

/**
 * Throughput no longer rising: the gain over the next lower level, per doubling of concurrency
 * (so bisection steps are judged like doubling steps), is below `plateauGain`.
 */
export const plateauRule: StopRule = {
  name: 'plateau',
  description: 'throughput gain per doubling of concurrency below the threshold',
  evaluate(levels, cfg) {
    if (levels.length < 2) return undefined;
    const last = levels[levels.length - 1];
    const previous = levels[levels.length - 2];
    if (previous.throughputTokensPerS <= 0 || last.concurrency <= previous.concurrency) return undefined;
    const gain = last.throughputTokensPerS / previous.throughputTokensPerS - 1;
    const perDoubling = gain / Math.log2(last.concurrency / previous.concurrency);
    if (perDoubling >= cfg.plateauGain) return undefined;
    return (
      `throughput ${last.throughputTokensPerS.toFixed(1)} tokens/s at c=${last.concurrency} vs ${previous.throughputTokensPerS.toFixed(1)} ` +
      `at c=${previous.concurrency}: ${(perDoubling * 100).toFixed(1)} % per doubling < ${(cfg.plateauGain * 100).toFixed(1)} %`
    );
  },
};
