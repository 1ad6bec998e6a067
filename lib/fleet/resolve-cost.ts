import type { FleetIssue } from './errors';
import type { ResolvedDeployment } from './types';

/**
 * Hourly ceiling of a fleet that does not set `maxHourlyUsd`, USD per hour, at every deployment's
 * autoscaling maximum. Our choice, documented in fleets/README.md: about 6× the published study
 * fleet (≈ $79/h in us-east-1 with the shipped prices) and above 7 of the largest single instances
 * (ml.p5.48xlarge, ≈ $63/h), so ordinary fleets pass untouched, while a typo (an extra zero in `maxInstances`) or an
 * accidental matrix (hundreds of p5 instances) stops at synth until the file states its budget.
 */
export const DEFAULT_MAX_HOURLY_USD = 500;

export interface FleetCost {
  /** All deployments at their initial size. */
  readonly hourlyUsd: number;
  /** All deployments at their autoscaling maximum: what the guard prices. */
  readonly peakHourlyUsd: number;
  readonly maxHourlyUsd: number;
  readonly maxHourlyUsdExplicit: boolean;
}

/** Prices the fleet (in its region, after its discount) at its autoscaling maximum and checks it against `maxHourlyUsd` (or the default ceiling). */
export function fleetCost(
  deployments: readonly ResolvedDeployment[],
  maxHourlyUsd: number | undefined,
  issues: FleetIssue[],
  where: { readonly region: string; readonly discount: number },
): FleetCost {
  const hourlyUsd = deployments.reduce((sum, d) => sum + d.hourlyUsd, 0);
  const peakHourlyUsd = deployments.reduce((sum, d) => sum + d.maxHourlyUsd, 0);
  const ceiling = maxHourlyUsd ?? DEFAULT_MAX_HOURLY_USD;
  if (peakHourlyUsd > ceiling) {
    const shares = [...deployments]
      .sort((a, b) => b.maxHourlyUsd - a.maxHourlyUsd)
      .map((d) => `${d.id} $${d.maxHourlyUsd.toFixed(2)}/h (${((d.maxHourlyUsd / peakHourlyUsd) * 100).toFixed(1)}%)`)
      .join(', ');
    const terms = where.discount > 0 ? `after a ${Math.round(where.discount * 100)}% discount` : 'on demand';
    const cost = `the fleet costs $${peakHourlyUsd.toFixed(2)}/h in ${where.region} ${terms} at its autoscaling maximum ($${hourlyUsd.toFixed(2)}/h at its initial size)`;
    issues.push({
      path: 'maxHourlyUsd',
      message:
        maxHourlyUsd !== undefined
          ? `${cost}, above maxHourlyUsd ${maxHourlyUsd}; allowed: raise maxHourlyUsd to ≥ ${Math.ceil(peakHourlyUsd)} or shrink the fleet; shares: ${shares}`
          : `${cost}, above the default ceiling of $${DEFAULT_MAX_HOURLY_USD}/h; set maxHourlyUsd ≥ ${Math.ceil(peakHourlyUsd)} to confirm the budget; shares: ${shares}`,
    });
  }
  return { hourlyUsd, peakHourlyUsd, maxHourlyUsd: ceiling, maxHourlyUsdExplicit: maxHourlyUsd !== undefined };
}
