import { UserInputError } from '../../lib/errors';
import { mulberry32 } from '../../lib/planner/engine/prng';

/**
 * Fault injection for the local endpoint: each request draws one fault (or none) from a seeded
 * PRNG, so a test that sets `seed` sees the same sequence of faults on every run.
 */

/** What can go wrong with one request. */
export type FaultKind =
  /** Refused at once as overloaded (TGI 429; SageMaker ModelError carrying 429). */
  | 'overload'
  /** Container error (TGI 500; SageMaker ModelError carrying 500; mid-stream error event on streams). */
  | '5xx'
  /** Never answered until the client disconnects. */
  | 'hang'
  /** Socket destroyed without an answer. */
  | 'reset'
  /** 200 with a body (or stream event) that is not valid JSON. */
  | 'garbage'
  /** Response or stream cut half-way, without the final event. */
  | 'truncate'
  /** SageMaker ThrottlingException (400); TGI and OpenAI routes answer 429. */
  | 'throttle';

export const FAULT_KINDS: readonly FaultKind[] = ['overload', '5xx', 'hang', 'reset', 'garbage', 'truncate', 'throttle'];

/** Probability of each fault per request (sum ≤ 1) and the PRNG seed. */
export interface FaultSpec {
  readonly rates: Readonly<Partial<Record<FaultKind, number>>>;
  readonly seed: number;
}

export const NO_FAULTS: FaultSpec = { rates: {}, seed: 1 };

const DEFAULT_SEED = 1;

/**
 * Parses `overload=0.1,5xx=0.05,hang=0.02,reset=0.02,garbage=0.02,truncate=0.02,seed=7`.
 * Unknown keys, rates outside [0, 1] and rates summing above 1 are refused with the allowed keys.
 */
export function parseFaultSpec(spec: string, field = 'faults'): FaultSpec {
  const allowed = `allowed keys: ${[...FAULT_KINDS, 'seed'].join(', ')}`;
  const rates: Partial<Record<FaultKind, number>> = {};
  let seed = DEFAULT_SEED;
  const trimmed = spec.trim();
  if (trimmed === '' || trimmed === 'none') return { rates, seed };
  for (const part of trimmed.split(',')) {
    const [rawKey, rawValue, ...rest] = part.split('=');
    const key = (rawKey ?? '').trim();
    const value = Number((rawValue ?? '').trim());
    if (rest.length > 0 || rawValue === undefined || rawValue.trim() === '' || !Number.isFinite(value)) {
      throw new UserInputError(field, `'${part.trim()}' is not KEY=NUMBER (e.g. overload=0.1,seed=7); ${allowed}`);
    }
    if (key === 'seed') {
      if (!Number.isInteger(value)) throw new UserInputError(field, `seed must be an integer, got '${rawValue.trim()}'`);
      seed = value;
      continue;
    }
    if (!isFaultKind(key)) throw new UserInputError(field, `unknown fault '${key}'; ${allowed}`);
    if (value < 0 || value > 1) throw new UserInputError(field, `rate of '${key}' must be between 0 and 1, got ${value}`);
    rates[key] = value;
  }
  const total = Object.values(rates).reduce((sum, rate) => sum + (rate ?? 0), 0);
  if (total > 1 + 1e-9) throw new UserInputError(field, `fault rates sum to ${round(total)}, more than 1`);
  return { rates, seed };
}

/** Renders a spec back to its text form (for /info and logs). */
export function formatFaultSpec(spec: FaultSpec): string {
  const parts = FAULT_KINDS.filter((kind) => (spec.rates[kind] ?? 0) > 0).map((kind) => `${kind}=${spec.rates[kind]}`);
  return parts.length === 0 ? 'none' : [...parts, `seed=${spec.seed}`].join(',');
}

/** Draws the fault of each request in arrival order. */
export interface FaultPicker {
  next(): FaultKind | undefined;
}

export function createFaultPicker(spec: FaultSpec): FaultPicker {
  const random = mulberry32(spec.seed);
  const kinds = FAULT_KINDS.filter((kind) => (spec.rates[kind] ?? 0) > 0);
  if (kinds.length === 0) return { next: () => undefined };
  return {
    next(): FaultKind | undefined {
      const draw = random();
      let cumulative = 0;
      for (const kind of kinds) {
        cumulative += spec.rates[kind] ?? 0;
        if (draw < cumulative) return kind;
      }
      return undefined;
    },
  };
}

function isFaultKind(key: string): key is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(key);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
