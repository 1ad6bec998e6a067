/**
 * Cost per 1M output tokens = hourly price of all instances × 10^6 / (throughput × 3600)
 * (the domain definition). Infinity when nothing was generated.
 */
export function costPerMillionTokensUsd(hourlyUsd: number, tokensPerS: number): number {
  return tokensPerS > 0 ? (hourlyUsd * 1e6) / (tokensPerS * 3600) : Infinity;
}
