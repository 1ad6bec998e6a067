import { isClientBound } from './client-verdict';
import { costPerMillionTokensUsd } from './cost';
import type { CostAtSlo, LevelResult, MaxGoodput } from './records';

/**
 * The figures of a sweep judged on SLOs, shared by summarizeSweep (sweep.json) and the
 * recommendations: only levels with `goodput` whose client kept up compete (a client-bound level
 * says nothing about the endpoint).
 */
function judged(levels: readonly LevelResult[]): LevelResult[] {
  return levels.filter((l) => l.goodput !== undefined && !isClientBound(l));
}

/** Goodput tokens/s of a level (0 when it was not judged on SLOs). */
export function goodputTokensPerS(level: LevelResult): number {
  return level.goodput?.tokensPerS ?? 0;
}

/** $ per 1M tokens at SLO of one level: hourly price × 10^6 / (goodput tokens/s × 3600); Infinity with no goodput. */
export function usdPerMillionGoodTokens(hourlyUsd: number, level: LevelResult): number {
  return costPerMillionTokensUsd(hourlyUsd, goodputTokensPerS(level));
}

/** Whether a level's SLO attainment reaches `minAttainment`. */
export function meetsAttainment(level: LevelResult, minAttainment: number): boolean {
  return level.goodput !== undefined && level.goodput.attainment >= minAttainment;
}

/** The level with the highest goodput tokens/s (ties: the lower level), or undefined when none has goodput. */
export function maxGoodputOf(levels: readonly LevelResult[]): MaxGoodput | undefined {
  let best: LevelResult | undefined;
  for (const l of judged(levels)) if (goodputTokensPerS(l) > 0 && (best === undefined || goodputTokensPerS(l) > goodputTokensPerS(best))) best = l;
  return best && { concurrency: best.concurrency, tokensPerS: goodputTokensPerS(best), attainment: best.goodput?.attainment ?? 0 };
}

/**
 * The cheapest $ per 1M tokens at SLO among the levels meeting `minAttainment` (ties: the lower
 * level), or undefined when none does or nothing was generated.
 */
export function minCostAtSloOf(levels: readonly LevelResult[], hourlyUsd: number, minAttainment: number): CostAtSlo | undefined {
  let best: LevelResult | undefined;
  for (const l of judged(levels)) {
    if (!meetsAttainment(l, minAttainment) || !(goodputTokensPerS(l) > 0)) continue;
    if (best === undefined || usdPerMillionGoodTokens(hourlyUsd, l) < usdPerMillionGoodTokens(hourlyUsd, best)) best = l;
  }
  if (best === undefined) return undefined;
  return {
    concurrency: best.concurrency,
    usdPerMillionTokens: usdPerMillionGoodTokens(hourlyUsd, best),
    goodputTokensPerS: goodputTokensPerS(best),
    attainment: best.goodput?.attainment ?? 0,
    minAttainment,
  };
}
