import type { SweepResult } from '../../lib/results/records';

export interface RegressionCheck {
  /** True when max throughput fell or ms/token rose by more than the threshold. */
  readonly regressed: boolean;
  /** Max-throughput change versus the previous run, % (negative = slower). */
  readonly throughputChangePct?: number;
  /** ms/token p50 change at the lowest concurrency both runs measured, % (positive = slower). */
  readonly latencyChangePct?: number;
  /** The worse of −throughputChangePct and latencyChangePct: the figure the alarm watches. */
  readonly regressionPct: number;
  readonly detail: string;
}

function pctChange(current: number, previous: number): number | undefined {
  return previous > 0 ? ((current - previous) / previous) * 100 : undefined;
}

/** Compares a run with the previous run of the same deployment (pure). */
export function checkRegression(current: SweepResult, previous: SweepResult | undefined, thresholdPct: number): RegressionCheck {
  if (previous === undefined) return { regressed: false, regressionPct: 0, detail: 'no previous run to compare with' };
  const throughputChangePct =
    current.maxThroughput && previous.maxThroughput
      ? pctChange(current.maxThroughput.tokensPerS, previous.maxThroughput.tokensPerS)
      : undefined;
  const previousByC = new Map(previous.levels.filter((l) => l.ok > 0).map((l) => [l.concurrency, l]));
  const common = current.levels.filter((l) => l.ok > 0 && previousByC.has(l.concurrency)).sort((a, b) => a.concurrency - b.concurrency)[0];
  const latencyChangePct = common
    ? pctChange(common.latencyMsPerToken.p50, previousByC.get(common.concurrency)?.latencyMsPerToken.p50 ?? 0)
    : undefined;
  const regressionPct = Math.max(0, -(throughputChangePct ?? 0), latencyChangePct ?? 0);
  const regressed = regressionPct > thresholdPct;
  const parts = [
    throughputChangePct !== undefined ? `max throughput ${throughputChangePct.toFixed(1)}%` : 'max throughput not comparable',
    latencyChangePct !== undefined && common ? `ms/token p50 at c=${common.concurrency} ${latencyChangePct.toFixed(1)}%` : 'ms/token not comparable',
  ];
  return {
    regressed,
    ...(throughputChangePct !== undefined ? { throughputChangePct } : {}),
    ...(latencyChangePct !== undefined ? { latencyChangePct } : {}),
    regressionPct,
    detail: `${regressed ? 'REGRESSION' : 'ok'} vs ${previous.startedAt}: ${parts.join(', ')} (threshold ${thresholdPct}%)`,
  };
}
