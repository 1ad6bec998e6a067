import type { ArrivalProcess } from '../../lib/results/records';

/** The load of an open-loop sweep. */
export interface OpenLoopPlan {
  /** The offered rates in order, requests/s, or 'auto': the search for the highest rate meeting the SLOs (nextStep, mode rate-auto). */
  readonly rates: readonly number[] | 'auto';
  /** Highest rate the 'auto' search may try, requests/s (required with 'auto'). */
  readonly maxRatePerS?: number;
  readonly arrival: ArrivalProcess;
  readonly burstiness?: number;
  /** Cap on requests in flight (arrivals over it wait, counted). */
  readonly maxConcurrency?: number;
  /** Seed of the arrival gaps. @default 1 */
  readonly seed?: number;
}
