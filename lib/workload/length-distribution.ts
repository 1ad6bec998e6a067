import { UserInputError } from '../errors';
import { mulberry32 as createPrng } from '../planner/engine/prng';

/**
 * A token length: fixed, or drawn from a distribution.
 * - `512`: every request 512 tokens;
 * - `normal:MEAN,SD`: Gaussian (Box–Muller);
 * - `uniform:MIN,MAX`: every integer in [MIN, MAX] equally likely;
 * - `lognormal:MU,SIGMA`: exp(N(MU, SIGMA)), MU and SIGMA of the log of the length (median e^MU).
 * Draws are rounded to integers and clipped to the deployment's limits.
 */
export type LengthDistribution =
  | { readonly kind: 'fixed'; readonly value: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'lognormal'; readonly mu: number; readonly sigma: number };

const FORMS = "N, 'normal:MEAN,SD', 'uniform:MIN,MAX' or 'lognormal:MU,SIGMA'";

function numbers(field: string, text: string, body: string, count: number): number[] {
  const parts = body.split(',').map((p) => p.trim());
  const values = parts.map(Number);
  if (parts.length !== count || parts.some((p) => p === '') || values.some((v) => !Number.isFinite(v))) {
    throw new UserInputError(field, `'${text}' needs ${count} numbers after the colon; expected ${FORMS}`);
  }
  return values;
}

/** Parses a length spec (see LengthDistribution); errors name `field` and the allowed forms. */
export function parseLengthDistribution(text: string, field: string): LengthDistribution {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon === -1) {
    const value = Number(trimmed);
    if (trimmed === '' || !Number.isInteger(value) || value < 1) throw new UserInputError(field, `'${text}' must be a whole number ≥ 1 or ${FORMS}`);
    return { kind: 'fixed', value };
  }
  const kind = trimmed.slice(0, colon);
  const body = trimmed.slice(colon + 1);
  if (kind === 'normal') {
    const [mean, sd] = numbers(field, text, body, 2);
    if (mean < 1 || sd < 0) throw new UserInputError(field, `'${text}': MEAN must be ≥ 1 and SD ≥ 0`);
    return { kind, mean, sd };
  }
  if (kind === 'uniform') {
    const [min, max] = numbers(field, text, body, 2);
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) throw new UserInputError(field, `'${text}': MIN and MAX must be whole numbers with 1 ≤ MIN ≤ MAX`);
    return { kind, min, max };
  }
  if (kind === 'lognormal') {
    const [mu, sigma] = numbers(field, text, body, 2);
    if (sigma < 0) throw new UserInputError(field, `'${text}': SIGMA must be ≥ 0`);
    return { kind, mu, sigma };
  }
  throw new UserInputError(field, `unknown distribution '${kind}' in '${text}'; expected ${FORMS}`);
}

/** The spec back as text (`512`, `normal:512,128`, ...), as sweep.json records it. */
export function formatLengthDistribution(d: LengthDistribution): string {
  switch (d.kind) {
    case 'fixed':
      return String(d.value);
    case 'normal':
      return `normal:${d.mean},${d.sd}`;
    case 'uniform':
      return `uniform:${d.min},${d.max}`;
    case 'lognormal':
      return `lognormal:${d.mu},${d.sigma}`;
  }
}

/** The mean of the distribution before clipping (lognormal: e^(μ + σ²/2)). */
export function meanOf(d: LengthDistribution): number {
  switch (d.kind) {
    case 'fixed':
      return d.value;
    case 'normal':
      return d.mean;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'lognormal':
      return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
  }
}

/** Draws integer lengths from `d`, seeded, each clipped to [min, max]. */
export function createLengthSampler(d: LengthDistribution, seed: number): (min: number, max: number) => number {
  const random = createPrng(seed);
  // Box–Muller: two uniforms in (0, 1] give one standard normal (the second is dropped to keep draws independent of call order).
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const raw = (): number => {
    switch (d.kind) {
      case 'fixed':
        return d.value;
      case 'normal':
        return d.mean + d.sd * gaussian();
      case 'uniform':
        return d.min + Math.floor(random() * (d.max - d.min + 1));
      case 'lognormal':
        return Math.exp(d.mu + d.sigma * gaussian());
    }
  };
  return (min, max) => Math.min(max, Math.max(min, Math.round(raw())));
}

/** A fleet or flag value (a whole number or a distribution spec) as the mean length plus, for a distribution, its spec. */
export function lengthSetting(value: number | string, field: string): { readonly tokens: number; readonly distribution?: string } {
  if (typeof value === 'number') return { tokens: value };
  const d = parseLengthDistribution(value, field);
  return d.kind === 'fixed' ? { tokens: d.value } : { tokens: Math.max(1, Math.round(meanOf(d))), distribution: formatLengthDistribution(d) };
}
