import { nearestRank } from '../../lib/results/distribution';
import type { RequestRecord } from '../../lib/results/records';
import type { CapacityChange, ScenarioErrorKind, ScenarioRequest, ScenarioSample, ScenarioSpec } from '../../lib/results/scenario';
import type { CapacityReading } from './capacity-reader';
import { loadOf, offeredAt, offeredRequestsUntil } from '../../lib/results/scenario-schedule';

/** SageMaker's answer to an invocation of a component with no copy (scale to zero), as the client sees it. */
const NO_CAPACITY_PATTERN = /has no capacity to process this request/i;

/** The record's error kind; a no-capacity ValidationError is its own kind (NoCapacityInvocationFailures). */
export function scenarioErrorKind(record: RequestRecord): ScenarioErrorKind | undefined {
  if (record.error === undefined) return undefined;
  if (record.error === 'client_error' && NO_CAPACITY_PATTERN.test(record.errorMessage ?? '')) return 'no_capacity';
  return record.error;
}

/** A capacity reading taken at `tS` (scenario seconds). */
export interface TimedReading extends CapacityReading {
  readonly tS: number;
}

/** Maps wall-clock epoch ms of the client to scenario seconds (endpoint time). */
export type ToScenarioS = (wallEpochMs: number) => number;

export function scenarioRequests(records: readonly RequestRecord[], toS: ToScenarioS): ScenarioRequest[] {
  return records.map((r) => {
    const error = scenarioErrorKind(r);
    return { sentS: toS(r.clockOriginMs + r.sentMs), endS: toS(r.clockOriginMs + r.endMs), ...(error ? { error } : {}) };
  });
}

/** Windows of `spec.sampleS` over [0, durationS): client figures from the records, capacity from the last reading in the window. */
export function buildSamples(spec: ScenarioSpec, records: readonly RequestRecord[], readings: readonly TimedReading[], toS: ToScenarioS, speedup: number, durationS: number): ScenarioSample[] {
  const requests = records.map((r) => ({ r, sentS: toS(r.clockOriginMs + r.sentMs), endS: toS(r.clockOriginMs + r.endMs), kind: scenarioErrorKind(r) }));
  const rate = loadOf(spec) === 'rate';
  const samples: ScenarioSample[] = [];
  for (let t = 0; t < durationS - 1e-9; t += spec.sampleS) {
    const end = Math.min(durationS, t + spec.sampleS);
    const width = end - t;
    const finished = requests.filter((q) => q.endS >= t && q.endS < end);
    const ok = finished.filter((q) => q.kind === undefined);
    const latencies = Float64Array.from(ok.map((q) => (q.r.endMs - q.r.sentMs) * speedup)).sort();
    const errors: Partial<Record<ScenarioErrorKind, number>> = {};
    for (const q of finished) if (q.kind !== undefined) errors[q.kind] = (errors[q.kind] ?? 0) + 1;
    const busy = requests.reduce((sum, q) => sum + Math.max(0, Math.min(end, q.endS) - Math.max(t, q.sentS)), 0);
    const last = end >= durationS - 1e-9;
    const reading = (last ? readings[readings.length - 1] : undefined) ?? [...readings].reverse().find((x) => x.tS <= end) ?? readings[0];
    // A rate load: the schedule's mean rate over the window, the rate the client sent and the rate answered successfully.
    const rates = rate && width > 0
      ? {
          offeredRatePerS: (offeredRequestsUntil(spec, end) - offeredRequestsUntil(spec, t)) / width,
          sentRatePerS: requests.filter((q) => q.sentS >= t && q.sentS < end).length / width,
          achievedRatePerS: ok.length / width,
        }
      : {};
    samples.push({
      tS: t,
      offeredConcurrency: rate ? 0 : offeredAt(spec, t),
      ...rates,
      achievedConcurrency: width > 0 ? busy / width : 0,
      completed: finished.length,
      ok: ok.length,
      tokensPerS: width > 0 ? ok.reduce((sum, q) => sum + q.r.outputTokens, 0) / width : 0,
      ...(latencies.length > 0 ? { latencyP50Ms: nearestRank(latencies, 50), latencyP99Ms: nearestRank(latencies, 99) } : {}),
      errors,
      ...(reading?.copiesInService !== undefined ? { copiesInService: reading.copiesInService } : {}),
      ...(reading?.copiesDesired !== undefined ? { copiesDesired: reading.copiesDesired } : {}),
      ...(reading?.instancesInService !== undefined ? { instancesInService: reading.instancesInService } : {}),
      ...(reading?.instancesDesired !== undefined ? { instancesDesired: reading.instancesDesired } : {}),
    });
  }
  return samples;
}

/**
 * Each change of copies in service (instances in service on a variant without components), timed by
 * the component's (the endpoint's) LastModifiedTime, which moves when a copy is placed or removed
 * (an instance update completes), when it lies between the two readings, else by the reading.
 */
export function capacityChanges(readings: readonly TimedReading[], toVirtualS: (endpointEpochMs: number) => number): CapacityChange[] {
  const out: CapacityChange[] = [];
  let previous: TimedReading | undefined;
  const units = (r: TimedReading): number | undefined => r.copiesInService ?? (r.componentStatus === undefined ? r.instancesInService : undefined);
  for (const r of readings) {
    const now = units(r);
    if (now === undefined) continue;
    if (previous !== undefined && now !== units(previous)) {
      const modified = r.lastModifiedMs !== undefined ? toVirtualS(r.lastModifiedMs) : undefined;
      const atS = modified !== undefined && modified > previous.tS - 1e-6 && modified <= r.tS + 1e-6 ? modified : r.tS;
      out.push({ atS, copies: now });
    }
    previous = r;
  }
  return out;
}
