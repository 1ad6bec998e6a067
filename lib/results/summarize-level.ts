import { LEVEL_RESULT_VERSION, type ErrorKind, type LevelRepeats, type LevelResult, type RequestRecord } from './records';
import { intervalOf } from './confidence';
import { distributionOf } from './distribution';

export interface SummarizeLevelOptions {
  readonly concurrency: number;
  /**
   * Time compression of a local endpoint: every measured duration is multiplied by it (and rates
   * divided by it), so figures read as if the endpoint ran in real time.
   * @default 1
   */
  readonly speedup?: number;
  /**
   * Length of the measured window, ms (before `speedup`), when the client defines it itself: the
   * simulated closed loop measures the completions between two instants. Rates are per this window.
   * @default from the earliest send to the latest end of the measured records
   */
  readonly windowMs?: number;
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

function measuredWindowMs(records: readonly RequestRecord[]): number {
  const window = measuredWindow(records);
  return window === undefined ? 0 : Math.max(0, window.endMs - window.startMs);
}

function countErrors(records: readonly RequestRecord[]): Partial<Record<ErrorKind, number>> {
  const errors: Partial<Record<ErrorKind, number>> = {};
  for (const r of records) {
    if (r.error !== undefined) errors[r.error] = (errors[r.error] ?? 0) + 1;
  }
  return errors;
}

/** First send (warm-up included) to last end of the records, ms, merged across processes. */
function levelWallMs(records: readonly RequestRecord[]): number {
  return measuredWindowMs(records);
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
export function summarizeLevel(records: readonly RequestRecord[], opts: SummarizeLevelOptions): LevelResult {
  const groups = byRepeat(records);
  if (groups.length <= 1) return summarizeOnce(records, opts);
  const speedup = opts.speedup ?? 1;
  const each = groups.map((group) => summarizeOnce(group, { concurrency: opts.concurrency, speedup }));
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
 * The statistics of one measurement of a concurrency level from its raw records (a pure function; merge raw records
 * of several workers first, never LevelResults, because percentiles cannot be averaged).
 * Warm-up records are excluded. Latency measures use successful requests only; `clientQueueMs`
 * uses every measured request. A level with no successful request has all-zero distributions and ok = 0.
 */
function summarizeOnce(records: readonly RequestRecord[], opts: SummarizeLevelOptions): LevelResult {
  const speedup = opts.speedup ?? 1;
  const measured = records.filter((r) => r.warmup !== true);
  const succeeded = measured.filter((r) => r.error === undefined);
  const errors = countErrors(measured);

  const durationS = ((opts.windowMs ?? measuredWindowMs(measured)) * speedup) / 1000;
  const perSecond = (count: number): number => (durationS > 0 ? count / durationS : 0);

  let outputTokens = 0;
  let retries = 0;
  for (const r of measured) retries += r.retries ?? 0;

  const e2eMs: number[] = [];
  const msPerToken: number[] = [];
  const ttftMs: number[] = [];
  const itlMs: number[] = [];
  let endedEarly = 0;
  for (const r of succeeded) {
    outputTokens += r.outputTokens;
    if (r.shortOutput === true) endedEarly += 1;
    const e2e = (r.endMs - r.sentMs) * speedup;
    e2eMs.push(e2e);
    if (r.outputTokens > 0) msPerToken.push(e2e / r.outputTokens);
    if (r.firstTokenMs !== undefined) {
      const ttft = (r.firstTokenMs - r.sentMs) * speedup;
      ttftMs.push(ttft);
      if (r.outputTokens > 1) itlMs.push((e2e - ttft) / (r.outputTokens - 1));
    }
  }
  const clientQueueMs = measured.map((r) => (r.sentMs - r.scheduledMs) * speedup);

  return {
    schemaVersion: LEVEL_RESULT_VERSION,
    concurrency: opts.concurrency,
    requests: measured.length,
    ok: succeeded.length,
    errors,
    retries,
    durationS,
    requestsPerS: perSecond(measured.length),
    outputTokens,
    throughputTokensPerS: perSecond(outputTokens),
    latencyMsPerToken: distributionOf(msPerToken),
    e2eMs: distributionOf(e2eMs),
    ...(ttftMs.length > 0 ? { ttftMs: distributionOf(ttftMs) } : {}),
    ...(itlMs.length > 0 ? { itlMs: distributionOf(itlMs) } : {}),
    ...(clientQueueMs.length > 0 ? { clientQueueMs: distributionOf(clientQueueMs) } : {}),
    timeouts: errors.timeout ?? 0,
    ...(endedEarly > 0 ? { endedEarly } : {}),
    levelSeconds: (levelWallMs(records) * speedup) / 1000,
  };
}

/** Errors / requests of a level (0 for an empty level). */
export function errorRate(level: LevelResult): number {
  return level.requests > 0 ? (level.requests - level.ok) / level.requests : 0;
}
