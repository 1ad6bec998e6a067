import type { LevelResult } from '../../../lib/results/records';
import type { StopRule } from './types';

const percent = (fraction: number): string => `${(fraction * 100).toFixed(1)} %`;
const tokensPerS = (value: number): string => `${value.toFixed(1)} tokens/s`;

/**
 * The throughput gain of a step from concurrency c₁ to c₂, compounded per doubling of concurrency:
 * (T₂ / T₁)^(1 / log₂(c₂ / c₁)) − 1. A doubling step gives its own gain; a bisection step (e.g. 16 → 24)
 * is judged as if the same growth rate went on for a whole doubling. Never below −100 %.
 */
export function gainPerDoubling(from: { concurrency: number; tokensPerS: number }, to: { concurrency: number; tokensPerS: number }): number {
  const doublings = Math.log2(to.concurrency / from.concurrency);
  return Math.pow(to.tokensPerS / from.tokensPerS, 1 / doublings) - 1;
}

/**
 * The level a plateau is judged against: the highest level at or below half the last one's
 * concurrency (a whole doubling back), else the next lower level. Judging over at least a doubling
 * never extrapolates a small step's noise (34 → 35 once read as "−218.6 % per doubling").
 */
export function plateauReference(levels: readonly LevelResult[]): LevelResult | undefined {
  if (levels.length < 2) return undefined;
  const last = levels[levels.length - 1];
  let reference: LevelResult | undefined;
  for (let i = levels.length - 2; i >= 0; i--) {
    if (levels[i].concurrency * 2 <= last.concurrency) {
      reference = levels[i];
      break;
    }
  }
  return reference ?? levels[levels.length - 2];
}

/**
 * Throughput no longer rising: the gain since the reference level (plateauReference: at least a
 * doubling back when measured), per doubling of concurrency, is below `plateauGain`.
 */
export const plateauRule: StopRule = {
  id: 'plateau',
  description: 'throughput gain per doubling of concurrency below the threshold',
  check(levels, cfg) {
    if (levels.length < 2) return undefined;
    const last = levels[levels.length - 1];
    const previous = plateauReference(levels);
    if (previous === undefined) return undefined;
    if (previous.throughputTokensPerS <= 0 || last.concurrency <= previous.concurrency) return undefined;
    const perDoubling = gainPerDoubling(
      { concurrency: previous.concurrency, tokensPerS: previous.throughputTokensPerS },
      { concurrency: last.concurrency, tokensPerS: last.throughputTokensPerS },
    );
    if (perDoubling >= cfg.plateauGain) return undefined;
    const change = last.throughputTokensPerS / previous.throughputTokensPerS - 1;
    const moved = change > 0 ? `rose ${percent(change)}` : change < 0 ? `fell ${percent(-change)}` : 'did not change';
    const step = `from ${tokensPerS(previous.throughputTokensPerS)} at c=${previous.concurrency} to ${tokensPerS(last.throughputTokensPerS)} at c=${last.concurrency}`;
    const required = `${percent(cfg.plateauGain)} per doubling of concurrency`;
    if (last.concurrency === 2 * previous.concurrency) return `throughput ${moved} when concurrency doubled (${step}), less than the ${required} required to go on`;
    const rate = perDoubling >= 0 ? `a gain of ${percent(perDoubling)}` : `a loss of ${percent(-perDoubling)}`;
    return `throughput ${moved} ${step}, which is ${rate} per doubling of concurrency, less than the ${percent(cfg.plateauGain)} required to go on`;
  },
};
