/**
 * Confidence intervals of a mean over repeated measurements (Student t), used by repeats and the
 * regression check.
 */

/**
 * Two-sided 95 % quantiles of Student's t distribution, t(0.975, df), for df = 1..30. Source: NIST/SEMATECH
 * e-Handbook of Statistical Methods, 1.3.6.7.2 "Critical Values of the Student's t Distribution",
 * https://www.itl.nist.gov/div898/handbook/eda/section3/eda3672.htm (column 0.975).
 */
export const T_975: readonly number[] = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
/** The normal quantile z(0.975), used beyond df = 30 (t(0.975, 30) = 2.042 is within 4 % of it). */
export const Z_975 = 1.96;

/** t(0.975, df): the table for df ≤ 30, the normal quantile above. */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`degrees of freedom ${df} must be an integer ≥ 1`);
  return df <= T_975.length ? T_975[df - 1] : Z_975;
}

/** A mean with its 95 % confidence interval: mean ± halfWidth95. */
export interface Interval {
  readonly mean: number;
  /** t(0.975, n − 1) × s / √n, s the sample standard deviation. 0 when n = 1 (no spread known). */
  readonly halfWidth95: number;
  readonly n: number;
  /** The repeated values, in measurement order. */
  readonly values: readonly number[];
}

/** Mean and 95 % Student-t interval of `values` (at least one). */
export function intervalOf(values: readonly number[]): Interval {
  if (values.length === 0) throw new RangeError('an interval needs at least one value');
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  if (n === 1) return { mean, halfWidth95: 0, n, values: [...values] };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  return { mean, halfWidth95: (tQuantile975(n - 1) * Math.sqrt(variance)) / Math.sqrt(n), n, values: [...values] };
}

/** Whether `value` lies outside `interval` (mean ± halfWidth95); never for an interval without spread (n = 1). */
export function outsideInterval(value: number, interval: Interval): boolean {
  return interval.n > 1 && Math.abs(value - interval.mean) > interval.halfWidth95;
}
