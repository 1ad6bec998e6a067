import type { LevelResult, SweepResult } from './records';
import { costPerMillionTokensUsd } from './cost';
import { DEFAULT_MIN_SLO_ATTAINMENT } from './defaults';
import { isClientBound } from './client-verdict';
import { goodputTokensPerS, meetsAttainment, usdPerMillionGoodTokens } from './slo-figures';
import { candidateLevels } from './summarize-sweep';

export type RecommendationGoal =
  | 'min-latency'
  | 'max-throughput'
  | 'min-cost-per-million'
  | 'best-under-latency-bound'
  | 'min-hourly-cost'
  | 'max-goodput'
  | 'min-cost-per-million-at-slo';

/** One configuration and concurrency picked for a goal, with the figure that won and why. */
export interface Recommendation {
  readonly goal: RecommendationGoal;
  /** Sweep label (configuration). */
  readonly label: string;
  /** The level's key (concurrency, or rateLevelKey of an open-loop level: see `offeredRatePerS`). */
  readonly concurrency: number;
  /** Open-loop level: its offered rate, requests/s (reports name the level by it). */
  readonly offeredRatePerS?: number;
  readonly value: number;
  readonly unit: 'ms/token' | 'tokens/s' | 'USD/1M tokens' | 'USD/h';
  readonly why: string;
}

export interface RecommendOptions {
  /** Latency bound, p50 ms per output token, for 'best-under-latency-bound' and 'min-hourly-cost'. */
  readonly latencyBoundMsPerToken: number;
  /** @default 0.01 */
  readonly maxErrorRate?: number;
  /** SLO attainment a level must reach for 'min-cost-per-million-at-slo'. @default 0.9 */
  readonly minSloAttainment?: number;
}

interface Candidate {
  readonly sweep: SweepResult;
  readonly level: LevelResult;
}

function best<T>(items: readonly T[], score: (item: T) => number, lowerIsBetter: boolean): T | undefined {
  let winner: T | undefined;
  let winnerScore = 0;
  for (const item of items) {
    const s = score(item);
    if (!Number.isFinite(s)) continue;
    if (winner === undefined || (lowerIsBetter ? s < winnerScore : s > winnerScore)) {
      winner = item;
      winnerScore = s;
    }
  }
  return winner;
}

/**
 * Picks, across sweeps (configurations), the configuration and concurrency that best serves each
 * goal. Only feasible levels compete (a sweep with no feasible level offers all its measured ones);
 * latency is p50 ms/token. The SLO goals (max goodput, $ per 1M tokens at SLO) take levels judged on
 * SLOs whose client kept up; $ per 1M tokens at SLO only those reaching `minSloAttainment`, costed on
 * goodput tokens. Goals lacking data (no price, nothing under the bound, no SLOs) are left out.
 * Ties keep the earlier sweep and the lower concurrency.
 */
export function recommend(sweeps: readonly SweepResult[], opts: RecommendOptions): Recommendation[] {
  const bound = opts.latencyBoundMsPerToken;
  const candidates: Candidate[] = sweeps.flatMap((sweep) =>
    candidateLevels(sweep.levels, { maxErrorRate: opts.maxErrorRate }).map((level) => ({ sweep, level })),
  );
  const underBound = candidates.filter((c) => c.level.latencyMsPerToken.p50 < bound);
  const hourly = (c: Candidate): number => c.sweep.deployment?.hourlyUsd ?? NaN;
  const out: Recommendation[] = [];
  const add = (goal: RecommendationGoal, c: Candidate | undefined, value: (c: Candidate) => number, unit: Recommendation['unit'], why: string): void => {
    if (c) {
      const rate = c.level.offeredRatePerS;
      out.push({ goal, label: c.sweep.label, concurrency: c.level.concurrency, ...(rate !== undefined ? { offeredRatePerS: rate } : {}), value: value(c), unit, why });
    }
  };

  const latency = (c: Candidate): number => c.level.latencyMsPerToken.p50;
  const throughput = (c: Candidate): number => c.level.throughputTokensPerS;
  const perMillion = (c: Candidate): number => costPerMillionTokensUsd(hourly(c), throughput(c));

  add('min-latency', best(candidates, latency, true), latency, 'ms/token', 'lowest p50 ms/token of any feasible level');
  add('max-throughput', best(candidates, throughput, false), throughput, 'tokens/s', 'highest tokens/s of any feasible level');
  add('min-cost-per-million', best(candidates, perMillion, true), perMillion, 'USD/1M tokens', 'hourly price × 10^6 / (tokens/s × 3600), lowest of any feasible level');
  add('best-under-latency-bound', best(underBound, throughput, false), throughput, 'tokens/s', `highest tokens/s with p50 ms/token < ${bound}`);
  // Cheapest configuration that can meet the bound, run at its best concurrency under the bound.
  const cheapest = best(underBound, hourly, true);
  const cheapestAtBest = cheapest && best(underBound.filter((c) => c.sweep === cheapest.sweep), throughput, false);
  add('min-hourly-cost', cheapestAtBest, hourly, 'USD/h', `lowest hourly price meeting p50 ms/token < ${bound} (at its highest tokens/s under the bound)`);

  // Goals on SLOs: levels judged on them whose client kept up (lib/results/slo-figures.ts).
  const judged = candidates.filter((c) => c.level.goodput !== undefined && !isClientBound(c.level));
  const target = opts.minSloAttainment ?? DEFAULT_MIN_SLO_ATTAINMENT;
  const goodput = (c: Candidate): number => goodputTokensPerS(c.level);
  const perMillionAtSlo = (c: Candidate): number => usdPerMillionGoodTokens(hourly(c), c.level);
  const pct = `${Math.round(target * 1000) / 10} %`;
  add('max-goodput', best(judged.filter((c) => goodput(c) > 0), goodput, false), goodput, 'tokens/s', 'highest goodput (output tokens/s of requests meeting every SLO) of any feasible level');
  add(
    'min-cost-per-million-at-slo',
    best(judged.filter((c) => meetsAttainment(c.level, target)), perMillionAtSlo, true),
    perMillionAtSlo,
    'USD/1M tokens',
    `hourly price × 10^6 / (goodput tokens/s × 3600), lowest among levels with SLO attainment ≥ ${pct}`,
  );

  return out;
}
