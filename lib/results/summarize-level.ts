import type { LevelRepeats, LevelResult, RequestRecord } from './records';
import { intervalOf } from './confidence';
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
 */
function steadyWindow(records: readonly RequestRecord[]): { readonly ms: number; readonly tokens: number } | undefined {
  let a = Infinity;
  let b = -Infinity;
  const workers = new Set<string>();
  for (const r of records) {
    if (r.warmup === true) continue;
    a = Math.min(a, r.clockOriginMs + r.sentMs);
    b = Math.max(b, r.clockOriginMs + r.sentMs);
    workers.add(`${r.clockOriginMs}/${r.worker}`);
  }
  if (!(b > a)) return undefined;
  let tokens = 0;
  let overlapping = 0;
  for (const r of records) {
    const start = r.clockOriginMs + (r.firstTokenMs ?? r.sentMs);
    const end = r.clockOriginMs + r.endMs;
    const overlap = Math.min(end, b) - Math.max(start, a);
    if (overlap <= 0 && !(end > a && end <= b)) continue;
    overlapping += 1;
    if (r.error !== undefined || r.outputTokens === 0) continue;
    tokens += end > start ? (r.outputTokens * Math.max(0, overlap)) / (end - start) : end > a && end <= b ? r.outputTokens : 0;
  }
  return overlapping >= Math.max(2, workers.size) ? { ms: b - a, tokens } : undefined;
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
 * The statistics of one concurrency level from its raw records (pure). A level measured several
 * times (records carry `repeat`) is summarized per repeat and pooled: counts and distributions over
 * every repeat's requests, rates over the sum of the repeats' windows, and `repeats` holds the mean
 * and 95 % Student-t interval over the repeats of throughput, ms/token p50 and TTFT p50.
 */
export function summarizeLevel(given: Iterable<RequestRecord>, opts: SummarizeLevelOptions): LevelResult {
  const records = Array.isArray(given) ? (given as readonly RequestRecord[]) : [...given];
  const groups = byRepeat(records);
  if (groups.length <= 1) return summarizeOnce(records, opts);
  const speedup = opts.speedup ?? 1;
  const each = groups.map((group) => summarizeOnce(group, { concurrency: opts.concurrency, speedup, slo: opts.slo, openLoop: opts.openLoop }));
  const windowMs = each.reduce((sum, l) => sum + l.durationS, 0) * (1000 / speedup);
  const pooled = summarizeOnce(records, { ...opts, windowMs });
  const ttfts = each.filter((l) => l.ttftMs !== undefined).map((l) => l.ttftMs?.p50 ?? 0);
  const repeats: LevelRepeats = {
    n: each.length,
    throughputTokensPerS: intervalOf(each.map((l) => l.throughputTokensPerS)),
    msPerTokenP50: intervalOf(each.map((l) => l.latencyMsPerToken.p50)),
    ...(ttfts.length === each.length ? { ttftMsP50: intervalOf(ttfts) } : {}),
  };
  return { ...pooled, levelSeconds: each.reduce((sum, l) => sum + (l.levelSeconds ?? 0), 0), repeats };
}

/**
 * The statistics of one measurement of a level from its raw records (a pure function; merge raw records or
 * LevelAccumulators of several workers, never LevelResults, because percentiles cannot be averaged).
 * Warm-up records are excluded. Latency measures use successful requests only; `clientQueueMs`
 * uses every measured request. A level with no successful request has all-zero distributions and ok = 0.
 * Percentiles are exact up to 4096 samples per measure, within 0.1 % past it (lib/results/sketch.ts).
 */
function summarizeOnce(records: readonly RequestRecord[], opts: SummarizeLevelOptions): LevelResult {
  const speedup = opts.speedup ?? 1;
  const acc = new LevelAccumulator(speedup, opts.slo);
  for (const r of records) acc.add(r);
  // A window the caller defines (the simulated closed loop) has no ramp or drain to exclude; an open
  // loop has no fixed set of busy workers, so no steady window either.
  const steady = opts.windowMs === undefined && opts.openLoop === undefined ? steadyFigures(records, speedup) : {};
  return { ...acc.result(opts), ...steady };
}

function steadyFigures(records: readonly RequestRecord[], speedup: number): Pick<LevelResult, 'steadyThroughputTokensPerS' | 'steadyWindowS'> {
  const steady = steadyWindow(records);
  if (steady === undefined) return {};
  const seconds = (steady.ms * speedup) / 1000;
  return { steadyThroughputTokensPerS: steady.tokens / seconds, steadyWindowS: seconds };
}

/** Errors / requests of a level (0 for an empty level). */
export function errorRate(level: LevelResult): number {
  return level.requests > 0 ? (level.requests - level.ok) / level.requests : 0;
}
