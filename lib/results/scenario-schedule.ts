import { UserInputError } from '../errors';
import { DEFAULT_AUTOSCALING_TARGET } from './defaults';
import { ARRIVAL_PROCESSES } from './records';
import { SCENARIO_KINDS, SCENARIO_LOADS, type ScenarioKind, type ScenarioLoad, type ScenarioSpec } from './scenario';

/**
 * The offered load of a scenario over time (closed-loop concurrency, or an open-loop request rate
 * with load `rate`; endpoint seconds):
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
  const load = defined.load ?? 'concurrency';
  if (!SCENARIO_LOADS.includes(load)) throw new UserInputError('load', `'${String(load)}' is not a load; allowed: ${SCENARIO_LOADS.join(', ')}`);
  const rate = load === 'rate';
  const spec: ScenarioSpec = { kind: k, to: 0, ...SCENARIO_DEFAULTS[k], ...(rate ? { arrival: 'poisson' as const, seed: 1 } : {}), ...defined, load };
  const whole = (field: keyof ScenarioSpec, min: number): void => {
    const v = spec[field] as number;
    if (!Number.isInteger(v) || v < min) throw new UserInputError(field, `must be a whole number ≥ ${min}, got ${String(v)}`);
  };
  if (rate) {
    if (!(spec.to > 0) || !Number.isFinite(spec.to)) throw new UserInputError('to', `must be a rate > 0 requests/s, got ${String(spec.to)}`);
    if (!(spec.from >= 0) || !Number.isFinite(spec.from)) throw new UserInputError('from', `must be a rate ≥ 0 requests/s, got ${String(spec.from)}`);
    if (!ARRIVAL_PROCESSES.includes(spec.arrival ?? 'poisson')) throw new UserInputError('arrival', `'${String(spec.arrival)}' is not an arrival process; allowed: ${ARRIVAL_PROCESSES.join(', ')}`);
    if (spec.burstiness !== undefined && (spec.arrival !== 'gamma' || !(spec.burstiness > 0) || !Number.isFinite(spec.burstiness))) {
      throw new UserInputError('burstiness', `must be a gamma shape > 0 with arrival gamma (got ${String(spec.burstiness)} with arrival ${String(spec.arrival)})`);
    }
    whole('seed', 0);
  } else {
    whole('to', 1);
    whole('from', 0);
    for (const field of ['arrival', 'burstiness', 'seed'] as const) {
      if (spec[field] !== undefined) throw new UserInputError(field, `applies to load rate only (this scenario's load is concurrency); allowed loads: ${SCENARIO_LOADS.join(', ')}`);
    }
  }
  if (spec.from > spec.to) throw new UserInputError('from', `${spec.from} is above to (${spec.to})`);
  for (const field of ['overS', 'holdS', 'fallS', 'idleS', 'retryBackoffS'] as const) {
    if (!(spec[field] >= 0) || !Number.isFinite(spec[field])) throw new UserInputError(field, `must be a number of seconds ≥ 0, got ${String(spec[field])}`);
  }
  if (!(spec.sampleS > 0)) throw new UserInputError('sampleS', `must be a number of seconds > 0, got ${String(spec.sampleS)}`);
  if (spec.sloP99LatencyMs !== undefined && !(spec.sloP99LatencyMs > 0)) throw new UserInputError('sloP99LatencyMs', `must be > 0 ms, got ${spec.sloP99LatencyMs}`);
  if (k === 'spike' && spec.from !== 0) throw new UserInputError('from', 'a spike starts idle: from must be 0');
  return spec;
}

/** The load kind of a spec (specs written before rate loads existed offer concurrency). */
export function loadOf(spec: Pick<ScenarioSpec, 'load'>): ScenarioLoad {
  return spec.load ?? 'concurrency';
}

export function scenarioDurationS(spec: ScenarioSpec): number {
  return spec.idleS + spec.overS + spec.holdS + spec.fallS;
}

/** The schedule's offered load at `tS`, unrounded: streams, or requests/s with load `rate`. */
export function offeredLoadAt(spec: ScenarioSpec, tS: number): number {
  const base = spec.kind === 'ramp' ? spec.from : 0;
  if (tS < spec.idleS) return base;
  const t = tS - spec.idleS;
  const low = spec.kind === 'spike' ? 0 : spec.from;
  if (t < spec.overS) return low + ((spec.to - low) * t) / spec.overS;
  if (t < spec.overS + spec.holdS) return spec.to;
  const f = t - spec.overS - spec.holdS;
  if (f < spec.fallS) return spec.to - ((spec.to - low) * f) / spec.fallS;
  return spec.fallS > 0 ? low : spec.to;
}

/** Concurrency the schedule offers at `tS` (rounded to whole streams). */
export function offeredAt(spec: ScenarioSpec, tS: number): number {
  return Math.round(offeredLoadAt(spec, tS));
}

/**
 * The schedule's pieces, each linear in time: [startS, endS) from `r0` to `r1` (the values just after
 * its start and just before its end). The last piece runs on without end at the final load.
 */
function schedulePieces(spec: ScenarioSpec): { startS: number; endS: number; r0: number; r1: number }[] {
  const low = spec.kind === 'spike' ? 0 : spec.from;
  const idle = spec.kind === 'ramp' ? spec.from : 0;
  const riseEnd = spec.idleS + spec.overS;
  const holdEnd = riseEnd + spec.holdS;
  const end = scenarioDurationS(spec);
  const pieces = [
    { startS: 0, endS: spec.idleS, r0: idle, r1: idle },
    { startS: spec.idleS, endS: riseEnd, r0: low, r1: spec.to },
    { startS: riseEnd, endS: holdEnd, r0: spec.to, r1: spec.to },
    { startS: holdEnd, endS: end, r0: spec.to, r1: low },
  ].filter((p) => p.endS > p.startS);
  const final = offeredLoadAt(spec, end);
  return [...pieces, { startS: end, endS: Infinity, r0: final, r1: final }];
}

/** Requests a `rate` schedule offers from 0 to `tS` (∫ rate dt): the expected arrivals by then. */
export function offeredRequestsUntil(spec: ScenarioSpec, tS: number): number {
  let total = 0;
  for (const p of schedulePieces(spec)) {
    if (tS <= p.startS) break;
    const x = Math.min(tS, p.endS) - p.startS;
    const slope = Number.isFinite(p.endS) ? (p.r1 - p.r0) / (p.endS - p.startS) : 0;
    total += p.r0 * x + (slope * x * x) / 2;
  }
  return total;
}

/**
 * The time at which a `rate` schedule has offered `requests` expected arrivals (the inverse of
 * offeredRequestsUntil): open-loop arrivals of a time-varying rate by time rescaling, the arrivals of
 * a unit-rate process at operational times 1, 2, … (constant) or at its own gaps (Poisson, gamma)
 * mapped through it. Infinity when the schedule never offers that many.
 */
export function timeOfOfferedRequests(spec: ScenarioSpec, requests: number): number {
  let before = 0;
  for (const p of schedulePieces(spec)) {
    const span = p.endS - p.startS;
    const slope = Number.isFinite(p.endS) ? (p.r1 - p.r0) / span : 0;
    const inPiece = Number.isFinite(p.endS) ? p.r0 * span + (slope * span * span) / 2 : Infinity;
    const need = requests - before;
    if (need <= inPiece) {
      if (p.r0 === 0 && slope === 0) return Infinity;
      // r0·x + slope·x²/2 = need, the root in [0, span]
      const x = Math.abs(slope) < 1e-12 ? need / p.r0 : (-p.r0 + Math.sqrt(Math.max(0, p.r0 * p.r0 + 2 * slope * need))) / slope;
      return p.startS + Math.min(Math.max(0, x), span);
    }
    before += inPiece;
  }
  return Infinity;
}

/** Requests in flight per copy a policy on another metric than concurrency is sized with (the fleet's default target). */
const DEFAULT_CONCURRENCY_PER_COPY = DEFAULT_AUTOSCALING_TARGET['concurrent-requests'];

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
