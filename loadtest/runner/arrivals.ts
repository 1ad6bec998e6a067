import { UserInputError } from '../../lib/errors';
import { mulberry32 } from '../../lib/planner/engine/prng';
import { ARRIVAL_PROCESSES, type ArrivalProcess } from '../../lib/results/records';

export { ARRIVAL_PROCESSES };

export interface ArrivalOptions {
  /** Mean requests per second (of the clock the gaps are used on). */
  readonly ratePerS: number;
  readonly process: ArrivalProcess;
  /** Gamma shape k: 1 = Poisson, < 1 burstier, > 1 more regular. Only for `gamma`. @default 1 */
  readonly burstiness?: number;
  /** Seed of the gaps: the same seed gives the same arrival times on every run and machine. @default 1 */
  readonly seed?: number;
}

/** Checks an arrival specification; errors name the domain field (`ratePerS`, `arrival`, `burstiness`). */
export function validateArrivals(opts: ArrivalOptions): void {
  if (!(opts.ratePerS > 0) || !Number.isFinite(opts.ratePerS)) throw new UserInputError('ratePerS', `${opts.ratePerS} must be a number of requests/s > 0`);
  if (!ARRIVAL_PROCESSES.includes(opts.process)) throw new UserInputError('arrival', `'${String(opts.process)}' is not one of ${ARRIVAL_PROCESSES.join(', ')}`);
  if (opts.burstiness !== undefined) {
    if (!(opts.burstiness > 0) || !Number.isFinite(opts.burstiness)) throw new UserInputError('burstiness', `${opts.burstiness} must be a gamma shape > 0 (1 = Poisson)`);
    if (opts.process !== 'gamma' && opts.burstiness !== 1) throw new UserInputError('burstiness', `applies to arrival 'gamma' only (got arrival '${opts.process}')`);
  }
}

/**
 * Standard normal by Box–Muller from two uniforms in [0, 1).
 */
function normal(random: () => number): number {
  const u = 1 - random(); // (0, 1]: log is finite
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Gamma(shape k, scale 1) by Marsaglia and Tsang, "A Simple Method for Generating Gamma Variables",
 * ACM TOMS 26(3), 2000: for k ≥ 1 directly; for k < 1 as Gamma(k + 1) · U^(1/k).
 */
export function gammaVariate(shape: number, random: () => number): number {
  if (shape < 1) return gammaVariate(shape + 1, random) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * The gaps between arrivals, ms, with mean 1000 / ratePerS:
 * - constant: every gap is the mean;
 * - poisson: exponential gaps (a Poisson process);
 * - gamma: gamma gaps of shape k = burstiness and scale mean / k (coefficient of variation 1/√k;
 *   k = 1 is Poisson), the arrival model of vLLM `bench serve --burstiness`.
 */
export function arrivalGaps(opts: ArrivalOptions): () => number {
  validateArrivals(opts);
  const meanMs = 1000 / opts.ratePerS;
  if (opts.process === 'constant') return () => meanMs;
  const random = mulberry32(opts.seed ?? 1);
  const shape = opts.process === 'poisson' ? 1 : (opts.burstiness ?? 1);
  if (shape === 1) return () => -Math.log(1 - random()) * meanMs;
  return () => gammaVariate(shape, random) * (meanMs / shape);
}
