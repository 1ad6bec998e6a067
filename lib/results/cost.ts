/**
 * Cost per 1M output tokens = hourly price of all instances × 10^6 / (throughput × 3600).
 * Infinity when nothing is generated (tokensPerS ≤ 0).
 */
export function costPerMillionTokensUsd(hourlyUsd: number, tokensPerS: number): number {
  if (!(tokensPerS > 0)) return Number.POSITIVE_INFINITY;
  return (hourlyUsd * 1e6) / (tokensPerS * 3600);
}
