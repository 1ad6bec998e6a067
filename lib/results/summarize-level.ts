import type { LevelRepeats, LevelResult, RequestRecord } from './records';
import { intervalOf } from './confidence';
import { ExactSum } from './exact-sum';
import { LevelAccumulator, type LevelResultOptions } from './level-accumulator';
import type { Slo } from './slo';

export interface SummarizeLevelOptions extends LevelResultOptions {
  /** SLOs each request is judged on; the level then carries `slo` and `goodput`. */
  readonly slo?: Slo;
}

/**
 * Earliest send and latest end of the measured (non-warm-up) records, epoch ms of the client's clock,
 * merged across processes on clockOriginMs + t; undefined without measured records.
 */
export function measuredWindow(records: readonly RequestRecord[]): { readonly startMs: number; readonly endMs: number } | undefined {
  let start = Infinity;
  let end = -Infinity;
  for (const r of records) {
    if (r.warmup === true) continue;
    start = Math.min(start, r.clockOriginMs + r.sentMs);
    end = Math.max(end, r.clockOriginMs + r.endMs);
  }
  return start <= end ? { startMs: start, endMs: end } : undefined;
}

/**
 * The steady window of a closed-loop level: from the first measured send (a) to the last measured
 * send (b). Between them every worker always has a request in flight (warm-up requests finishing,
 * measured ones after them); before a the load ramps up (warm-up), after b no request is sent and the
 * level drains. Steady throughput counts the output tokens generated inside (a, b]: each successful
 * request's tokens spread evenly over its generation time (first token to end when streamed, else
 * send to end), warm-up requests included (they load the endpoint like any other), divided by b − a.
 * Undefined when the window is empty or fewer requests than workers overlap it (a level by request
 * count, for one). Times are merged across processes on clockOriginMs + t.
 *
 * a, b and the workers come from the level's accumulator (first pass); the tokens need a second
 * pass over every record, warm-up included, in any order (from memory or from the records files:
 * the sum is exact, so the order does not change it).
 */
export class SteadyTokens {
  private readonly tokens = new ExactSum();
  private overlapping = 0;

  constructor(private readonly sends: { readonly firstMs: number; readonly lastMs: number; readonly slots: number }) {}

  add(r: RequestRecord): void {
    const a = this.sends.firstMs;
    const b = this.sends.lastMs;
    const start = r.clockOriginMs + (r.firstTokenMs ?? r.sentMs);
    const end = r.clockOriginMs + r.endMs;
    const overlap = Math.min(end, b) - Math.max(start, a);
    if (overlap <= 0 && !(end > a && end <= b)) return;
    this.overlapping += 1;
    if (r.error !== undefined || r.outputTokens === 0) return;
    this.tokens.add(end > start ? (r.outputTokens * Math.max(0, overlap)) / (end - start) : end > a && end <= b ? r.outputTokens : 0);
  }

  /** The steady figures, endpoint time; empty when the window is empty or too few requests overlap it. */
  result(speedup = 1): Pick<LevelResult, 'steadyThroughputTokensPerS' | 'steadyWindowS'> {
    const ms = this.sends.lastMs - this.sends.firstMs;
    if (!(ms > 0) || this.overlapping < Math.max(2, this.sends.slots)) return {};
    const seconds = (ms * speedup) / 1000;
    return { steadyThroughputTokensPerS: this.tokens.value() / seconds, steadyWindowS: seconds };
  }
}

/**
 * Whether a level summarized with `opts` from `repeats` measurements gets steady-window figures (and
 * so needs the second pass of {@link SteadyTokens}): one measurement of a closed loop whose window
 * the records define.
 */
export function needsSteadyPass(repeats: number, opts: Pick<LevelResultOptions, 'windowMs' | 'openLoop'>): boolean {
  return repeats <= 1 && opts.windowMs === undefined && opts.openLoop === undefined;
}

/**
 * The level from one accumulator per measurement (in repeat order, each holding every process's
 * requests of that measurement) and, when {@link needsSteadyPass}, the steady tokens of the second
 * pass. The one summary of a level: summarizeLevel builds it from records in memory, the CLI sweep
 * from accumulators and the records files it streamed, with the same result. A repeated level is
 * pooled: counts and distributions over every repeat's requests, rates over the sum of the repeats'
 * windows, and `repeats` holds the mean and 95 % Student-t interval over the repeats of throughput,
 * ms/token p50 and TTFT p50.
 */
export function levelFromAccumulators(repeats: readonly LevelAccumulator[], opts: SummarizeLevelOptions, steady?: SteadyTokens): LevelResult {
  const speedup = opts.speedup ?? 1;
  if (repeats.length <= 1) {
    const acc = repeats[0] ?? new LevelAccumulator(speedup, opts.slo);
    return { ...acc.result(opts), ...(steady !== undefined && needsSteadyPass(1, opts) ? steady.result(speedup) : {}) };
  }
  const each = repeats.map((acc) => acc.result({ concurrency: opts.concurrency, speedup, openLoop: opts.openLoop }));
  const windowMs = each.reduce((sum, l) => sum + l.durationS, 0) * (1000 / speedup);
  const all = new LevelAccumulator(speedup, opts.slo);
  for (const acc of repeats) all.merge(acc);
  const pooled = all.result({ ...opts, windowMs });
  const ttfts = each.filter((l) => l.ttftMs !== undefined).map((l) => l.ttftMs?.p50 ?? 0);
  const interval: LevelRepeats = {
    n: each.length,
    throughputTokensPerS: intervalOf(each.map((l) => l.throughputTokensPerS)),
    msPerTokenP50: intervalOf(each.map((l) => l.latencyMsPerToken.p50)),
    ...(ttfts.length === each.length ? { ttftMsP50: intervalOf(ttfts) } : {}),
  };
  return { ...pooled, levelSeconds: each.reduce((sum, l) => sum + (l.levelSeconds ?? 0), 0), repeats: interval };
}

/** Records grouped by `repeat` (absent = 0), in repeat order. */
function byRepeat(records: readonly RequestRecord[]): RequestRecord[][] {
  const groups = new Map<number, RequestRecord[]>();
  for (const r of records) {
    const key = r.repeat ?? 0;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    group.push(r);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, group]) => group);
}

/**
 * The statistics of one concurrency level from its raw records (pure; see levelFromAccumulators).
 * Merge raw records or LevelAccumulators of several workers, never LevelResults, because percentiles
 * cannot be averaged. Warm-up records are excluded. Latency measures use successful requests only;
 * `clientQueueMs` uses every measured request. A level with no successful request has all-zero
 * distributions and ok = 0. Percentiles are exact up to 4096 samples per measure, within 0.1 % past
 * it (lib/results/sketch.ts).
 */
export function summarizeLevel(given: Iterable<RequestRecord>, opts: SummarizeLevelOptions): LevelResult {
  const records = Array.isArray(given) ? (given as readonly RequestRecord[]) : [...given];
  const speedup = opts.speedup ?? 1;
  const accumulators = byRepeat(records).map((group) => {
    const acc = new LevelAccumulator(speedup, opts.slo);
    for (const r of group) acc.add(r);
    return acc;
  });
  const sends = accumulators.length === 1 && needsSteadyPass(1, opts) ? accumulators[0].sends() : undefined;
  let steady: SteadyTokens | undefined;
  if (sends !== undefined) {
    steady = new SteadyTokens(sends);
    for (const r of records) steady.add(r);
  }
  return levelFromAccumulators(accumulators, opts, steady);
}

/** Errors / requests of a level (0 for an empty level). */
export function errorRate(level: LevelResult): number {
  return level.requests > 0 ? (level.requests - level.ok) / level.requests : 0;
}
