import type { ArrivalProcess } from '../../lib/results/records';

/** The load of an open-loop sweep. */
export interface OpenLoopPlan {
  readonly rates: readonly number[];
  readonly arrival: ArrivalProcess;
  readonly burstiness?: number;
  /** Cap on requests in flight (arrivals over it wait, counted). */
  readonly maxConcurrency?: number;
  /** Seed of the arrival gaps. @default 1 */
  readonly seed?: number;
}
