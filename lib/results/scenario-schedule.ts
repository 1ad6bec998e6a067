import { UserInputError } from '../errors';
import { SCENARIO_KINDS, type ScenarioKind, type ScenarioSpec } from './scenario';

/**
 * The offered load of a scenario over time (closed-loop concurrency, endpoint seconds):
 * - ramp: `from` during `idleS`, rising linearly to `to` over `overS`, held `holdS`, falling back over `fallS`;
 * - spike: idle (0) during `idleS`, then `to` at once for `holdS`, then `fallS` back to 0;
 * - scale-from-zero: idle during `idleS` (the component at 0 copies), then the first request (the
 *   ramp's first worker sends one) and the ramp from `from` to `to` as above.
 */

export const SCENARIO_DEFAULTS: Readonly<Record<ScenarioKind, Omit<ScenarioSpec, 'kind' | 'to'>>> = {
  ramp: { from: 1, overS: 300, holdS: 120, fallS: 120, idleS: 0, sampleS: 5, retryBackoffS: 1 },
  spike: { from: 0, overS: 0, holdS: 300, fallS: 0, idleS: 30, sampleS: 5, retryBackoffS: 1 },
  'scale-from-zero': { from: 1, overS: 120, holdS: 120, fallS: 0, idleS: 10, sampleS: 5, retryBackoffS: 1 },
};

/** A complete spec from the kind, `to` and overrides; bad values name the field and what is allowed. */
export function scenarioSpec(kind: string, fields: Partial<Omit<ScenarioSpec, 'kind'>> & { to?: number }): ScenarioSpec {
  if (!SCENARIO_KINDS.includes(kind as ScenarioKind)) throw new UserInputError('kind', `'${kind}' is not a scenario; allowed: ${SCENARIO_KINDS.join(', ')}`);
  const k = kind as ScenarioKind;
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<ScenarioSpec>;
  const spec: ScenarioSpec = { kind: k, to: 0, ...SCENARIO_DEFAULTS[k], ...defined };
  const whole = (field: keyof ScenarioSpec, min: number): void => {
    const v = spec[field] as number;
    if (!Number.isInteger(v) || v < min) throw new UserInputError(field, `must be a whole number ≥ ${min}, got ${String(v)}`);
  };
  whole('to', 1);
  whole('from', 0);
  if (spec.from > spec.to) throw new UserInputError('from', `${spec.from} is above to (${spec.to})`);
  for (const field of ['overS', 'holdS', 'fallS', 'idleS', 'retryBackoffS'] as const) {
    if (!(spec[field] >= 0) || !Number.isFinite(spec[field])) throw new UserInputError(field, `must be a number of seconds ≥ 0, got ${String(spec[field])}`);
  }
  if (!(spec.sampleS > 0)) throw new UserInputError('sampleS', `must be a number of seconds > 0, got ${String(spec.sampleS)}`);
  if (spec.sloP99LatencyMs !== undefined && !(spec.sloP99LatencyMs > 0)) throw new UserInputError('sloP99LatencyMs', `must be > 0 ms, got ${spec.sloP99LatencyMs}`);
  if (k === 'spike' && spec.from !== 0) throw new UserInputError('from', 'a spike starts idle: from must be 0');
  return spec;
}

export function scenarioDurationS(spec: ScenarioSpec): number {
  return spec.idleS + spec.overS + spec.holdS + spec.fallS;
}

/** Concurrency the schedule offers at `tS` (rounded to whole workers). */
export function offeredAt(spec: ScenarioSpec, tS: number): number {
  const base = spec.kind === 'ramp' ? spec.from : 0;
  if (tS < spec.idleS) return base;
  const t = tS - spec.idleS;
  const low = spec.kind === 'spike' ? 0 : spec.from;
  if (t < spec.overS) return Math.round(low + ((spec.to - low) * t) / spec.overS);
  if (t < spec.overS + spec.holdS) return spec.to;
  const f = t - spec.overS - spec.holdS;
  if (f < spec.fallS) return Math.round(spec.to - ((spec.to - low) * f) / spec.fallS);
  return spec.fallS > 0 ? low : spec.to;
}

/** Requests in flight per copy a policy on another metric than concurrency is sized with (the fleet's default target). */
const DEFAULT_CONCURRENCY_PER_COPY = 16;

/**
 * The top of a scenario's load when none is given, from the deployment's autoscaling: half its
 * maximum copies (at least 2) at the policy's concurrency target, so target tracking has to add
 * capacity; a scale-from-zero asks for two copies' worth.
 */
export function defaultScenarioTo(kind: ScenarioKind, policy: { readonly maxCapacity: number; readonly concurrencyPerCopy?: number }): number {
  const perCopy = policy.concurrencyPerCopy ?? DEFAULT_CONCURRENCY_PER_COPY;
  const copies = kind === 'scale-from-zero' ? 2 : Math.max(2, Math.floor(policy.maxCapacity / 2));
  return Math.ceil(perCopy * copies);
}
