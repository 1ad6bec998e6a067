import type { Distribution } from './records';

/**
 * Percentiles by the nearest-rank definition: the p-th percentile of n sorted values is the value at
 * rank ⌈p/100 × n⌉ (1-based), so every reported figure is one that was actually measured and p100 = max.
 * Exact: values are copied into a Float64Array and sorted, which stays fast up to millions of samples,
 * so no histogram approximation is needed for a level's records.
 */
export function nearestRank(sorted: Float64Array, percent: number): number {
  if (sorted.length === 0) return 0;
  // percent × n first: (percent / 100) × n rounds up past an integer (7 / 100 × 100 = 7.000000000000001 → rank 8).
  const rank = Math.ceil((percent * sorted.length) / 100);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** An all-zero distribution, used when a level has no sample of a measure (e.g. every request failed). */
export const EMPTY_DISTRIBUTION: Distribution = { mean: 0, p50: 0, p90: 0, p99: 0, min: 0, max: 0 };

/** Mean, nearest-rank p50/p90/p99, min and max of `values`; all zero when `values` is empty. */
export function distributionOf(values: readonly number[] | Float64Array): Distribution {
  if (values.length === 0) return EMPTY_DISTRIBUTION;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    mean: sum / sorted.length,
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p99: nearestRank(sorted, 99),
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}
