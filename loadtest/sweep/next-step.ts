import { UserInputError } from '../../lib/errors';
import type { LevelResult, StopReason } from '../../lib/results/records';
import { isClientBound } from '../../lib/results/client-verdict';
import { DEFAULT_LATENCY_BOUND_MS_PER_TOKEN, DEFAULT_MIN_SLO_ATTAINMENT } from '../../lib/results/defaults';
import { DEFAULT_KNEE_PARAMS } from '../../lib/results/knee';
import { rateLevelKey, rateOfLevelKey } from '../../lib/results/level-key';
import { byConcurrency, firstBadLevel, STOP_RULES, type StopRule, type StopRuleConfig } from './stop-rules';

/**
 * How a sweep's levels are chosen: a fixed list in order, the adaptive concurrency search up to a
 * cap, or the adaptive open-loop search for the highest rate meeting the SLOs (levels keyed by
 * rateLevelKey).
 */
export type LevelPlan =
  | { readonly mode: 'list'; readonly levels: readonly number[] }
  | {
      readonly mode: 'auto';
      readonly maxConcurrency: number;
      /** The knee's latency bound (p50 ms/token) whose crossing the search brackets. @default 100 */
      readonly latencyBoundMsPerToken?: number;
    }
  | {
      readonly mode: 'rate-auto';
      /** Highest offered rate the search may try, requests/s. */
      readonly maxRatePerS: number;
      /** First rate tried, requests/s. @default min(1, maxRatePerS) */
      readonly startRatePerS?: number;
    };

/** Highest level of the CLI's adaptive concurrency search when none is given (`--max-concurrency`; a fleet's default is DEFAULT_BENCHMARK.maxConcurrency). */
export const DEFAULT_AUTO_MAX_CONCURRENCY = 256;

/** The sweep's next move: measure a level (its key), or stop and say why. */
export type NextStep = { readonly concurrency: number } | { readonly stop: StopReason };

/** Parameters of the adaptive searches. */
export interface SearchParams {
  /**
   * Concurrency search: neighbouring measured levels closer than this ratio are never refined. 2 is
   * one level of the doubling grid: the search places every figure as finely as the grid 1, 2, 4, …
   * does, and no finer (no c=35 after c=34).
   */
  readonly resolution: number;
  /** Concurrency search: largest factor of one climbing step (16 = four grid levels at once). */
  readonly maxStepFactor: number;
  /** Rate search: the bisection stops when the first failing rate is within this fraction above the highest passing one. */
  readonly rateResolution: number;
  /** Rate search: factor of each step up while every rate passes. */
  readonly rateStepFactor: number;
}

export const DEFAULT_SEARCH: SearchParams = { resolution: 2, maxStepFactor: 16, rateResolution: 0.1, rateStepFactor: 2 };

/** The level of the doubling grid (a power of two) nearest to c in log scale. */
export function nearestGridLevel(c: number): number {
  return Math.pow(2, Math.round(Math.log2(c)));
}

/**
 * The refinement level between measured levels a < b: the grid level (power of two) at their
 * log-midpoint when one lies strictly between them, else the rounded geometric midpoint; undefined
 * when b is within `resolution` × a (a and b are neighbouring grid levels or closer).
 */
export function refinementBetween(a: number, b: number, params: SearchParams = DEFAULT_SEARCH): number | undefined {
  if (!(b > params.resolution * a)) return undefined;
  const grid = Math.pow(2, Math.round((Math.log2(a) + Math.log2(b)) / 2));
  if (grid > a && grid < b) return grid;
  const m = Math.round(Math.sqrt(a * b));
  return m > a && m < b ? m : undefined;
}

/** Levels whose p50 ms/token says something about the server: successes, tokens, client not the bottleneck. */
function latencyEvidence(levels: readonly LevelResult[]): LevelResult[] {
  return levels.filter((l) => l.ok > 0 && l.outputTokens > 0 && l.latencyMsPerToken.p50 > 0 && !isClientBound(l));
}

/**
 * The latency thresholds whose crossing places a knee: twice the best p50 ms/token (half-latency
 * rule) and the latency bound (latency-bound rule). `knee` is the threshold of the latency knee the
 * sweep reports first (summarizeSweep: the latency-bound rule whenever a level is under the bound,
 * else a later rule): the one whose crossing the search brackets to one grid level. (A sweep judged
 * on SLOs reports the SLO-attainment knee first; with `minSloAttainment` set it is the last good
 * level before the first bad one, which the search brackets anyway.)
 */
function latencyThresholds(evidence: readonly LevelResult[], boundMsPerToken: number): { readonly all: number[]; readonly knee: number } {
  const best = Math.min(...evidence.map((l) => l.latencyMsPerToken.p50));
  const halfLatency = DEFAULT_KNEE_PARAMS.latencyGrowthFactor * best;
  return { all: [halfLatency, boundMsPerToken], knee: best < boundMsPerToken ? boundMsPerToken : halfLatency };
}

/**
 * The lowest pair of neighbouring measured levels between which p50 ms/token crosses the threshold
 * (the lower at or under it, the upper above it) more than one grid level apart: the grid level
 * between them.
 */
function crossingRefinement(evidence: readonly LevelResult[], threshold: number | undefined, params: SearchParams): number | undefined {
  if (threshold === undefined) return undefined;
  for (let i = 0; i + 1 < evidence.length; i++) {
    const [lo, hi] = [evidence[i], evidence[i + 1]];
    if (!(lo.latencyMsPerToken.p50 <= threshold && hi.latencyMsPerToken.p50 > threshold)) continue;
    const m = refinementBetween(lo.concurrency, hi.concurrency, params);
    if (m !== undefined) return m;
  }
  return undefined;
}

/**
 * Where p50 ms/token is predicted to reach `threshold`, from the line through the lowest and the
 * highest measured level: a batching server's step time grows about linearly with the batch, so
 * ms/token(c) ≈ a + b·c. Infinity when latency does not grow (no bend predicted).
 */
function predictedCrossing(evidence: readonly LevelResult[], threshold: number): number {
  const lo = evidence[0];
  const hi = evidence[evidence.length - 1];
  const slope = (hi.latencyMsPerToken.p50 - lo.latencyMsPerToken.p50) / (hi.concurrency - lo.concurrency);
  if (!(slope > 0)) return Infinity;
  return lo.concurrency + (threshold - lo.latencyMsPerToken.p50) / slope;
}

/**
 * The next level while no rule has fired: from one level, ×4; then the grid level nearest where the
 * latency line predicts the next knee threshold not yet crossed (at least ×2, at most
 * `maxStepFactor`); ×2 once every threshold is crossed (the plateau is near).
 */
function climb(top: number, evidence: readonly LevelResult[], thresholds: readonly number[], params: SearchParams): number {
  if (evidence.length < 2) return top * 4;
  const topLatency = evidence[evidence.length - 1].latencyMsPerToken.p50;
  const ahead = thresholds.filter((t) => topLatency <= t);
  if (ahead.length === 0) return top * 2;
  const predicted = Math.min(...ahead.map((t) => predictedCrossing(evidence, t)));
  const target = Number.isFinite(predicted) ? nearestGridLevel(predicted) : Infinity;
  return Math.min(Math.max(target, top * 2), top * params.maxStepFactor);
}

/**
 * The one sweep decision, used by the CLI sweep and the state machine alike.
 *
 * The stop rules are judged on every measured level, each against the levels below it: the sweep
 * stops at the first level (by key) that breaks a rule, in every mode.
 * - list: the first listed level not yet measured, in the list's order; `completed` when none is left.
 * - auto (concurrency): the search places the figures a sweep reports (max throughput, the knees,
 *   the first bad level) to one level of the doubling grid 1, 2, 4, … without measuring the levels
 *   that cannot move them:
 *   1. Start at 1, then 4.
 *   2. Climb: fit ms/token p50 ≈ a + b·c through the lowest and highest level and jump to the grid
 *      level nearest where it predicts the next knee threshold (2 × best ms/token, then the latency
 *      bound) — at least ×2, at most ×`maxStepFactor` — and by ×2 once both are crossed, until a
 *      rule fires or `maxConcurrency` is reached.
 *   3. Refine, at the grid level between them, any pair of neighbouring levels more than one grid
 *      level apart that brackets something: the last good and first bad level (whatever the rule:
 *      a skipped level may hold the max or the boundary), or the crossing of the reported knee's
 *      threshold (the latency bound; twice the best ms/token when no level is under the bound).
 *      Levels within one grid level of each other are never refined.
 *   4. Stop with the first bad level's rule when nothing is left to refine.
 * - rate-auto (open loop, levels keyed by rateLevelKey): from `startRatePerS`, ×`rateStepFactor`
 *   while every rate passes the rules (SLO attainment among them: at least `minSloAttainment`, by
 *   default DEFAULT_MIN_SLO_ATTAINMENT) up to `maxRatePerS`; then bisect
 *   (geometric midpoint) between the highest passing and the lowest failing rate until the failing
 *   one is within `rateResolution` above the passing one. A failing first rate is halved until one
 *   passes. The stop names the highest passing rate.
 * A returned level is never one already measured, so a resumed sweep measures nothing twice.
 */
export function nextStep(
  plan: LevelPlan,
  measured: readonly LevelResult[],
  rules: StopRuleConfig,
  ruleSet: readonly StopRule[] = STOP_RULES,
  params: SearchParams = DEFAULT_SEARCH,
): NextStep {
  const sorted = byConcurrency(measured);
  // The rate search is judged on SLO attainment: without a required share, the default one.
  const judging = plan.mode === 'rate-auto' ? { ...rules, minSloAttainment: rules.minSloAttainment ?? DEFAULT_MIN_SLO_ATTAINMENT } : rules;
  const bad = firstBadLevel(sorted, judging, ruleSet);
  if (plan.mode === 'list') {
    if (bad !== undefined) return { stop: bad.reason };
    const done = new Set(sorted.map((l) => l.concurrency));
    const next = plan.levels.find((c) => !done.has(c));
    if (next !== undefined) return { concurrency: next };
    return { stop: { rule: 'completed', detail: `every listed level measured (c = ${plan.levels.join(', ')})` } };
  }
  if (plan.mode === 'rate-auto') return nextRate(plan, sorted, bad, params);
  if (sorted.length === 0) return { concurrency: 1 };
  if (bad !== undefined && bad.index === 0) return { stop: bad.reason };
  // Only levels up to the first bad one are evidence for the search (a resumed run may hold more).
  const judged = bad !== undefined ? sorted.slice(0, bad.index + 1) : sorted;
  const evidence = latencyEvidence(judged);
  const thresholds = evidence.length > 0 ? latencyThresholds(evidence, plan.latencyBoundMsPerToken ?? DEFAULT_LATENCY_BOUND_MS_PER_TOKEN) : undefined;
  const inside = crossingRefinement(evidence, thresholds?.knee, params);
  if (bad !== undefined) {
    const m = refinementBetween(sorted[bad.index - 1].concurrency, bad.concurrency, params) ?? inside;
    return m !== undefined ? { concurrency: m } : { stop: bad.reason };
  }
  if (inside !== undefined) return { concurrency: inside };
  const top = sorted[sorted.length - 1].concurrency;
  if (top >= plan.maxConcurrency) {
    return { stop: { rule: 'completed', detail: `reached the highest allowed level, c=${plan.maxConcurrency}, with no stop rule firing` } };
  }
  return { concurrency: Math.min(climb(top, evidence, thresholds?.all ?? [], params), plan.maxConcurrency) };
}

const rateText = (key: number): string => `${rateOfLevelKey(key)} req/s`;

/**
 * The rate search's next move (see nextStep); keys are rateLevelKey values. A client-bound level
 * says nothing about the endpoint and the client cannot send more: the search treats the lowest one
 * as the upper end of what it can learn, like a failing rate, and never names it as passing.
 */
function nextRate(
  plan: Extract<LevelPlan, { mode: 'rate-auto' }>,
  sorted: readonly LevelResult[],
  bad: ReturnType<typeof firstBadLevel>,
  params: SearchParams,
): NextStep {
  const maxKey = rateLevelKey(plan.maxRatePerS);
  if (maxKey < 1) throw new UserInputError('maxRatePerS', `${plan.maxRatePerS} must be ≥ 0.001 requests/s (the highest rate the search may try)`);
  if (sorted.length === 0) return { concurrency: Math.min(rateLevelKey(plan.startRatePerS ?? 1), maxKey) };
  const bound = sorted.find(isClientBound);
  const upper = bad !== undefined && (bound === undefined || bad.concurrency < bound.concurrency) ? { key: bad.concurrency, reason: bad.reason } : bound && { key: bound.concurrency, reason: clientLimit(bound) };
  if (upper === undefined) {
    const top = sorted[sorted.length - 1].concurrency;
    if (top >= maxKey) {
      return { stop: { rule: 'completed', detail: `reached the highest allowed rate, ${rateText(maxKey)}, with every rate passing: highest passing rate ${rateText(top)}` } };
    }
    return { concurrency: Math.min(rateLevelKey(rateOfLevelKey(top) * params.rateStepFactor), maxKey) };
  }
  const below = sorted.filter((l) => l.concurrency < upper.key);
  if (below.length === 0) {
    const half = rateLevelKey(rateOfLevelKey(upper.key) / params.rateStepFactor);
    if (half >= 1 && half < upper.key) return { concurrency: half };
    return { stop: { ...upper.reason, detail: `${upper.reason.detail}; no rate passes (lowest tried ${rateText(upper.key)})` } };
  }
  const pass = below[below.length - 1].concurrency;
  const named = { ...upper.reason, detail: `${upper.reason.detail}; highest passing rate ${rateText(pass)}` };
  if (upper.key <= pass * (1 + params.rateResolution)) return { stop: named };
  const m = Math.round(Math.sqrt(pass * upper.key));
  return m > pass && m < upper.key ? { concurrency: m } : { stop: named };
}

/** How a rate search ends at a client-bound level: the client, not the endpoint, was the limit. */
function clientLimit(level: LevelResult): StopReason {
  const why = level.client?.reasons?.join('; ') ?? 'client-bound';
  return { rule: 'completed', detail: `the client could not send ${rateText(level.concurrency)} (client-bound: ${why})` };
}
