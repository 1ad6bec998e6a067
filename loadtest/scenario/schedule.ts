import type { ScenarioSpec } from '../../lib/results/scenario';
import { scenarioDurationS, timeOfOfferedRequests } from '../../lib/results/scenario-schedule';
import { arrivalGaps } from '../runner/arrivals';

/** One arrival of a `rate` scenario: its index in the whole scenario and its time, scenario seconds. */
export interface ScenarioArrival {
  readonly index: number;
  readonly tS: number;
}

/**
 * The arrivals of a `rate` scenario from its start to its end, the same on every worker and window:
 * the seeded gaps of a unit-rate process (arrivals.ts: constant, Poisson or gamma, seed `spec.seed`)
 * mapped through the schedule's cumulative offered requests (time rescaling), so the arrival rate
 * follows the schedule and each window's workers take their share of one sequence: a window
 * boundary neither drops nor doubles an arrival.
 */
export function* scenarioArrivals(spec: ScenarioSpec): Generator<ScenarioArrival> {
  const nextGapMs = arrivalGaps({ ratePerS: 1, process: spec.arrival ?? 'poisson', ...(spec.burstiness !== undefined ? { burstiness: spec.burstiness } : {}), seed: spec.seed ?? 1 });
  const endS = scenarioDurationS(spec);
  let offered = 0;
  for (let index = 0; ; index += 1) {
    // A unit-rate gap in ms is a gap of (ms / 1000) expected requests.
    offered += nextGapMs() / 1000;
    const tS = timeOfOfferedRequests(spec, offered);
    if (!(tS < endS)) return;
    yield { index, tS };
  }
}

/** Connections a scenario's client needs: one per stream, or for a rate load the top rate × a minute of requests in flight (at most 1024). */
export function socketsFor(spec: ScenarioSpec): number {
  return spec.load === 'rate' ? Math.min(1024, Math.ceil(spec.to * 60) + 1) : Math.max(1, spec.to);
}
