import type { InstanceTypeSpec } from '../catalog/types';
import { DEFAULT_AUTOSCALING_TARGET } from '../results/defaults';
import type { FleetIssue } from './errors';
import type { AutoscalingConfig } from './schema';
import type { ResolvedAutoscaling } from './types';

/** Starting targets when a fleet gives none (lib/results/defaults.ts). */
const DEFAULT_TARGET = DEFAULT_AUTOSCALING_TARGET;
const DEFAULT_SCALE_IN_COOLDOWN_S = 300;
const DEFAULT_SCALE_OUT_COOLDOWN_S = 60;

export interface AutoscalingContext {
  readonly path: string;
  readonly layout: 'variant' | 'inference-components';
  readonly instance: InstanceTypeSpec;
  readonly tp: number;
  readonly copies: number;
  readonly instances: number;
}

/**
 * Fleet defaults + the deployment's own block → the autoscaling of one deployment, or undefined.
 * Active when `enabled` says so, else when the deployment (or matrix) has its own block.
 */
export function resolveAutoscaling(
  defaults: AutoscalingConfig | undefined,
  own: AutoscalingConfig | undefined,
  ctx: AutoscalingContext,
  issues: FleetIssue[],
): ResolvedAutoscaling | undefined {
  const merged: AutoscalingConfig = { ...(defaults ?? {}), ...(own ?? {}) };
  const active = merged.enabled ?? own !== undefined;
  if (!active) return undefined;
  const metric = merged.metric ?? 'concurrent-requests';
  const common = {
    metric,
    targetValue: merged.targetValue ?? DEFAULT_TARGET[metric],
    scaleInCooldownS: merged.scaleInCooldownS ?? DEFAULT_SCALE_IN_COOLDOWN_S,
    scaleOutCooldownS: merged.scaleOutCooldownS ?? DEFAULT_SCALE_OUT_COOLDOWN_S,
  };
  if (ctx.layout === 'variant') {
    for (const field of ['minCopies', 'maxCopies', 'scaleToZero'] as const) {
      if (merged[field] !== undefined && merged[field] !== false) {
        issues.push({ path: `${ctx.path}.autoscaling.${field}`, message: `${field} applies to layout inference-components only; this deployment is a variant` });
      }
    }
    const minInstances = merged.minInstances ?? ctx.instances;
    return { kind: 'instances', minInstances, maxInstances: merged.maxInstances ?? Math.max(ctx.instances * 2, minInstances), ...common };
  }
  const scaleToZero = merged.scaleToZero ?? false;
  if (scaleToZero && merged.minCopies !== undefined && merged.minCopies > 0) {
    issues.push({ path: `${ctx.path}.autoscaling.minCopies`, message: `minCopies ${merged.minCopies} contradicts scaleToZero: true; allowed 0 or unset` });
  }
  const maxInstances = merged.maxInstances ?? ctx.instances;
  return {
    kind: 'copies',
    minCopies: scaleToZero ? 0 : (merged.minCopies ?? 1),
    maxCopies: merged.maxCopies ?? Math.max(ctx.copies, Math.floor((ctx.instance.acceleratorCount * maxInstances) / ctx.tp)),
    minInstances: scaleToZero ? 0 : (merged.minInstances ?? 1),
    maxInstances,
    scaleToZero,
    ...common,
  };
}
