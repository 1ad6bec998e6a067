import {
  SWEEP_RESULT_VERSION,
  type DeploymentDescription,
  type LevelResult,
  type PayloadDescription,
  type StopReason,
  type SweepResult,
  type TargetDescription,
} from './records';
import { costPerMillionTokensUsd } from './cost';
import { DEFAULT_LATENCY_BOUND_MS_PER_TOKEN, DEFAULT_MAX_ERROR_RATE, DEFAULT_MIN_SLO_ATTAINMENT } from './defaults';
import { maxGoodputOf, minCostAtSloOf } from './slo-figures';
import { findKnees, type KneeParams } from './knee';
import { errorRate } from './summarize-level';

export interface SummarizeSweepInput {
  readonly label: string;
  readonly target: TargetDescription;
  readonly payload: PayloadDescription;
  readonly deployment?: DeploymentDescription;
  readonly levels: readonly LevelResult[];
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly stopReason?: StopReason;
  readonly failure?: { readonly step: string; readonly message: string };
  /** @default 100 */
  readonly latencyBoundMsPerToken?: number;
  /**
   * Highest error rate (errors / requests) a feasible level may have.
   * @default 0.01
   */
  readonly maxErrorRate?: number;
  /**
   * Invocation deadline, ms: a level whose slowest successful request took this long is not
   * feasible even when the client did not classify it as a timeout.
   * @default no check beyond counted timeouts
   */
  readonly invocationTimeoutMs?: number;
  /**
   * SLO attainment a level must reach to compete for `minCostAtSlo`.
   * @default 0.9 (DEFAULT_MIN_SLO_ATTAINMENT)
   */
  readonly minSloAttainment?: number;
  /** Other knee rule parameters (marginal-gain fraction, half-latency factor). */
  readonly kneeParams?: Partial<Omit<KneeParams, 'latencyBoundMsPerToken'>>;
}

export interface FeasibilityOptions {
  readonly maxErrorRate?: number;
  readonly invocationTimeoutMs?: number;
}

/** A level is feasible when it has successes, no timeouts and an error rate within the allowance. */
export function isFeasible(level: LevelResult, opts: FeasibilityOptions = {}): boolean {
  if (level.ok === 0 || level.timeouts > 0) return false;
  if (errorRate(level) > (opts.maxErrorRate ?? DEFAULT_MAX_ERROR_RATE)) return false;
  return opts.invocationTimeoutMs === undefined || level.e2eMs.max < opts.invocationTimeoutMs;
}

/** Feasible levels sorted by concurrency; all levels with successes when none is feasible. */
export function candidateLevels(levels: readonly LevelResult[], opts: FeasibilityOptions = {}): LevelResult[] {
  // A level whose successful requests generated no token has no ms/token: it cannot compete on latency.
  const measured = [...levels].filter((l) => l.ok > 0 && l.outputTokens > 0).sort((a, b) => a.concurrency - b.concurrency);
  const feasible = measured.filter((l) => isFeasible(l, opts));
  return feasible.length > 0 ? feasible : measured;
}

/**
 * The sweep-level figures from its levels: max feasible concurrency, max throughput and min latency
 * (p50 ms/token) among feasible levels (all measured levels when none is feasible), the knee by every
 * rule (`knee` = the first of slo-attainment, latency-bound, marginal-gain, half-latency that places one; rules see
 * the same candidate levels), the SLO figures of levels judged on SLOs (max goodput; $ per 1M tokens
 * at SLO when priced: lib/results/slo-figures.ts) and cost when the deployment's hourly price is known.
 */
export function summarizeSweep(input: SummarizeSweepInput): SweepResult {
  const feasibility: FeasibilityOptions = { maxErrorRate: input.maxErrorRate, invocationTimeoutMs: input.invocationTimeoutMs };
  const levels = [...input.levels].sort((a, b) => a.concurrency - b.concurrency);
  const feasible = levels.filter((l) => isFeasible(l, feasibility));
  const candidates = candidateLevels(levels, feasibility);

  const fastest = pick(candidates, (a, b) => a.throughputTokensPerS > b.throughputTokensPerS);
  const quickest = pick(candidates, (a, b) => a.latencyMsPerToken.p50 < b.latencyMsPerToken.p50);
  const knees = findKnees(candidates, {
    ...input.kneeParams,
    latencyBoundMsPerToken: input.latencyBoundMsPerToken ?? DEFAULT_LATENCY_BOUND_MS_PER_TOKEN,
    ...(input.minSloAttainment !== undefined ? { minSloAttainment: input.minSloAttainment } : {}),
  });
  const hourlyUsd = input.deployment?.hourlyUsd;
  const maxGoodput = maxGoodputOf(levels);
  const minCostAtSlo = hourlyUsd !== undefined ? minCostAtSloOf(levels, hourlyUsd, input.minSloAttainment ?? DEFAULT_MIN_SLO_ATTAINMENT) : undefined;

  return {
    schemaVersion: SWEEP_RESULT_VERSION,
    label: input.label,
    startedAt: input.startedAt,
    ...(input.finishedAt !== undefined ? { finishedAt: input.finishedAt } : {}),
    target: input.target,
    payload: input.payload,
    ...(input.deployment !== undefined ? { deployment: input.deployment } : {}),
    levels,
    ...(fastest ? { maxThroughput: { concurrency: fastest.concurrency, tokensPerS: fastest.throughputTokensPerS } } : {}),
    ...(quickest ? { minLatency: { concurrency: quickest.concurrency, msPerToken: quickest.latencyMsPerToken.p50 } } : {}),
    ...(feasible.length > 0 ? { maxFeasibleConcurrency: feasible[feasible.length - 1].concurrency } : {}),
    ...(knees.length > 0 ? { knee: knees[0], knees } : {}),
    ...(maxGoodput !== undefined ? { maxGoodput } : {}),
    ...(minCostAtSlo !== undefined ? { minCostAtSlo } : {}),
    cost: {
      ...sweepSeconds(levels, input.deployment?.instances ?? 1),
      ...(hourlyUsd !== undefined && fastest && fastest.throughputTokensPerS > 0
        ? { hourlyUsd, usdPerMillionTokensAtMaxThroughput: costPerMillionTokensUsd(hourlyUsd, fastest.throughputTokensPerS) }
        : {}),
    },
    ...(input.stopReason !== undefined ? { stopReason: input.stopReason } : {}),
    ...(input.failure !== undefined ? { failure: input.failure } : {}),
  };
}

/**
 * Endpoint time spent on the levels: Σ levelSeconds (warm-up, window and drain of every repeat; a
 * level of an older sweep without it counts its measured window `durationS`), and that × instances.
 * Deployment, waits between levels and idle time are not included.
 */
export function sweepSeconds(levels: readonly LevelResult[], instances: number): { levelSeconds: number; instanceSeconds: number } {
  const levelSeconds = levels.reduce((sum, l) => sum + (l.levelSeconds ?? l.durationS), 0);
  return { levelSeconds, instanceSeconds: levelSeconds * instances };
}

/** The first level that beats every later one by `better` (ties keep the lower concurrency). */
function pick(levels: readonly LevelResult[], better: (a: LevelResult, b: LevelResult) => boolean): LevelResult | undefined {
  let best: LevelResult | undefined;
  for (const level of levels) if (best === undefined || better(level, best)) best = level;
  return best;
}
