import type { LevelResult, SweepResult } from '../../lib/results/records';
import type { Interval } from '../../lib/results/confidence';

/** How a measure was judged: against the baseline's 95 % interval, or by the fixed percentage (the baseline has no interval). */
export type RegressionMethod = 'interval' | 'threshold';

export interface RegressionCheck {
  /** True when throughput fell or ms/token rose beyond the baseline's interval (or, without one, the threshold). */
  readonly regressed: boolean;
  /** Max-throughput change versus the previous run, % (negative = slower). */
  readonly throughputChangePct?: number;
  /** ms/token p50 change at the lowest concurrency both runs measured, % (positive = slower). */
  readonly latencyChangePct?: number;
  /** The worse of −throughputChangePct and latencyChangePct, % (the figure the alarm metric shows). */
  readonly regressionPct: number;
  /** How throughput and latency were judged. */
  readonly throughputMethod?: RegressionMethod;
  readonly latencyMethod?: RegressionMethod;
  readonly detail: string;
}

function pctChange(current: number, previous: number): number | undefined {
  return previous > 0 ? ((current - previous) / previous) * 100 : undefined;
}

const throughputOf = (l: LevelResult): number => l.repeats?.throughputTokensPerS.mean ?? l.throughputTokensPerS;
const msPerTokenOf = (l: LevelResult): number => l.repeats?.msPerTokenP50.mean ?? l.latencyMsPerToken.p50;
const withSpread = (i: Interval | undefined): Interval | undefined => (i !== undefined && i.n > 1 ? i : undefined);
const bounds = (i: Interval): string => `[${(i.mean - i.halfWidth95).toFixed(1)}, ${(i.mean + i.halfWidth95).toFixed(1)}]`;

interface Judged {
  readonly changePct?: number;
  readonly worse: boolean;
  readonly method: RegressionMethod;
  readonly text: string;
}

/**
 * One measure of one level, current against baseline, in the direction `sign` (+1: higher is worse).
 * With a baseline interval (the level was repeated): worse when the current value lies beyond its
 * bound on the bad side. Without one: worse when the change exceeds `thresholdPct`.
 */
function judge(name: string, sign: 1 | -1, current: number, previous: number, interval: Interval | undefined, thresholdPct: number): Judged {
  const changePct = pctChange(current, previous);
  const change = changePct !== undefined ? `${changePct.toFixed(1)}%` : 'n/a';
  if (interval !== undefined) {
    const beyond = sign * (current - interval.mean) > interval.halfWidth95;
    return { changePct, worse: beyond, method: 'interval', text: `${name} ${change} (${current.toFixed(1)} ${beyond ? 'outside' : 'inside'} the baseline's 95 % CI ${bounds(interval)})` };
  }
  const worse = changePct !== undefined && sign * changePct > thresholdPct;
  return { changePct, worse, method: 'threshold', text: `${name} ${change} (no baseline interval: threshold ${thresholdPct}%)` };
}

/**
 * Compares a run with the previous run of the same deployment (pure). Throughput is compared at the
 * baseline's max-throughput level (the max-throughput figures when the current run did not measure
 * it), ms/token p50 at the lowest concurrency both runs measured. A measure whose baseline level was
 * repeated (`--repeat`, LevelResult.repeats) is judged against the baseline's 95 % interval: flagged
 * only when the current value lies outside it on the slower side. Otherwise the fixed
 * `thresholdPct` applies (the documented fallback).
 */
export function checkRegression(current: SweepResult, previous: SweepResult | undefined, thresholdPct: number): RegressionCheck {
  if (previous === undefined) return { regressed: false, regressionPct: 0, detail: 'no previous run to compare with' };
  const previousByC = new Map(previous.levels.filter((l) => l.ok > 0).map((l) => [l.concurrency, l]));
  const currentByC = new Map(current.levels.filter((l) => l.ok > 0).map((l) => [l.concurrency, l]));

  let throughput: Judged | undefined;
  const peak = previous.maxThroughput !== undefined ? previousByC.get(previous.maxThroughput.concurrency) : undefined;
  const peakNow = peak !== undefined ? currentByC.get(peak.concurrency) : undefined;
  if (peak !== undefined && peakNow !== undefined) {
    throughput = judge(`throughput at c=${peak.concurrency}`, -1, throughputOf(peakNow), throughputOf(peak), withSpread(peak.repeats?.throughputTokensPerS), thresholdPct);
  } else if (current.maxThroughput && previous.maxThroughput) {
    throughput = judge('max throughput', -1, current.maxThroughput.tokensPerS, previous.maxThroughput.tokensPerS, undefined, thresholdPct);
  }

  const common = [...currentByC.values()].filter((l) => previousByC.has(l.concurrency)).sort((a, b) => a.concurrency - b.concurrency)[0];
  const base = common !== undefined ? previousByC.get(common.concurrency) : undefined;
  const latency =
    common !== undefined && base !== undefined
      ? judge(`ms/token p50 at c=${common.concurrency}`, 1, msPerTokenOf(common), msPerTokenOf(base), withSpread(base.repeats?.msPerTokenP50), thresholdPct)
      : undefined;

  const throughputChangePct = throughput?.changePct;
  const latencyChangePct = latency?.changePct;
  const regressed = throughput?.worse === true || latency?.worse === true;
  const parts = [throughput?.text ?? 'max throughput not comparable', latency?.text ?? 'ms/token not comparable'];
  return {
    regressed,
    ...(throughputChangePct !== undefined ? { throughputChangePct } : {}),
    ...(latencyChangePct !== undefined ? { latencyChangePct } : {}),
    regressionPct: Math.max(0, -(throughputChangePct ?? 0), latencyChangePct ?? 0),
    ...(throughput !== undefined ? { throughputMethod: throughput.method } : {}),
    ...(latency !== undefined ? { latencyMethod: latency.method } : {}),
    detail: `${regressed ? 'REGRESSION' : 'ok'} vs ${previous.startedAt}: ${parts.join(', ')}`,
  };
}
