/**
 * The record of an autoscaling scenario (ramp, spike, scale from zero): its load schedule, a time
 * series sampled every few seconds, the scaling activities Application Auto Scaling reported, and the
 * figures derived from them. Plain JSON, versioned by `schemaVersion`; written as `scenario.json`.
 * Times are seconds since the scenario's start, in the endpoint's time (a time-compressed local twin's
 * figures are scaled back by its speedup, as sweeps are).
 */
import type { ArrivalProcess, ErrorKind, PayloadDescription, TargetDescription } from './records';
// The endpoint's CloudWatch figures of a sample (ServerSampleFields) and of the run (`server`).
import type { ScenarioServerTelemetry, ServerSampleFields } from './scenario-telemetry';

export const SCENARIO_RESULT_VERSION = 1 as const;

export type ScenarioKind = 'ramp' | 'spike' | 'scale-from-zero';
export const SCENARIO_KINDS: readonly ScenarioKind[] = ['ramp', 'spike', 'scale-from-zero'];

/**
 * A request failed because the inference component had no copy in service (scale to zero):
 * SageMaker's ValidationError counted in NoCapacityInvocationFailures
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html).
 */
export type ScenarioErrorKind = ErrorKind | 'no_capacity';

/**
 * What a scenario offers: `concurrency` (closed loop: that many streams, each sending its next request
 * when the previous one answered) or `rate` (open loop: requests arrive at that many per second,
 * whatever the endpoint does, with seeded Poisson, gamma or constant gaps).
 */
export type ScenarioLoad = 'concurrency' | 'rate';
export const SCENARIO_LOADS: readonly ScenarioLoad[] = ['concurrency', 'rate'];

/** The offered load over time: concurrency (closed loop) or a request rate (open loop) rising from `from` to `to`. */
export interface ScenarioSpec {
  readonly kind: ScenarioKind;
  /** What `from` and `to` count. Absent: concurrency (records written before rate scenarios existed). */
  readonly load?: ScenarioLoad;
  /** Offered load at the start of the ramp (0 = idle): streams, or requests/s with load `rate`. */
  readonly from: number;
  /** Offered load at the top: streams, or requests/s with load `rate`. */
  readonly to: number;
  /** Gaps between arrivals of a `rate` load. @default poisson */
  readonly arrival?: ArrivalProcess;
  /** Gamma shape of arrival `gamma` (1 = Poisson). */
  readonly burstiness?: number;
  /** Seed of a `rate` load's arrivals: every window and worker derives the same arrival times from it. @default 1 */
  readonly seed?: number;
  /** Rise time (0 for a spike), s. */
  readonly overS: number;
  /** Time held at `to`, s. */
  readonly holdS: number;
  /** Fall time back to `from`, s (0: the scenario ends at the top). */
  readonly fallS: number;
  /** Idle time before the step (spike) or before the probe (scale-from-zero), s. */
  readonly idleS: number;
  /** Sampling interval of the time series, s. */
  readonly sampleS: number;
  /** Latency SLO: a window whose p99 latency exceeds it is a breach. */
  readonly sloP99LatencyMs?: number;
  /** Back-off of a client after a no-capacity or throttled answer, s (concurrency loads; an open loop never waits). */
  readonly retryBackoffS: number;
}

export interface ScenarioSample extends ServerSampleFields {
  /** Start of the window, s. */
  readonly tS: number;
  /** Concurrency the schedule asked for at the window's start (0 with a `rate` load: see offeredRatePerS). */
  readonly offeredConcurrency: number;
  /** `rate` loads: mean request rate the schedule offered over the window, requests/s. */
  readonly offeredRatePerS?: number;
  /** `rate` loads: requests the client sent in the window, per s (the offered rate as it was sent). */
  readonly sentRatePerS?: number;
  /** `rate` loads: successful requests finished in the window, per s (the rate the endpoint achieved). */
  readonly achievedRatePerS?: number;
  /** Mean requests in flight over the window (client side). */
  readonly achievedConcurrency: number;
  /** Requests that finished in the window. */
  readonly completed: number;
  readonly ok: number;
  /** Output tokens of the requests that finished in the window, per s. */
  readonly tokensPerS: number;
  /** End-to-end latency of successful requests finished in the window, ms. */
  readonly latencyP50Ms?: number;
  readonly latencyP99Ms?: number;
  readonly errors: Readonly<Partial<Record<ScenarioErrorKind, number>>>;
  /** CurrentCopyCount / DesiredCopyCount (DescribeInferenceComponent) at the sample. */
  readonly copiesInService?: number;
  readonly copiesDesired?: number;
  /** CurrentInstanceCount / DesiredInstanceCount of the variant (DescribeEndpoint) at the sample. */
  readonly instancesInService?: number;
  readonly instancesDesired?: number;
}

/** A DescribeScalingActivities entry, on the scenario's clock. */
export interface ScenarioScalingActivity {
  readonly startS: number;
  readonly endS?: number;
  readonly statusCode: string;
  readonly description: string;
  readonly cause: string;
  /** The capacity it set, from its Description ("Setting desired copy count to 3."). */
  readonly toCapacity?: number;
}

/**
 * Capacity in service at one moment, as DescribeEndpoint (ProductionVariants[0].CurrentInstanceCount /
 * DesiredInstanceCount) and DescribeInferenceComponent (RuntimeConfig.CurrentCopyCount / DesiredCopyCount,
 * InferenceComponentStatus, LastModifiedTime) report it.
 */
export interface CapacityReading {
  /** Epoch ms (the endpoint's clock) of the component's last change, when it has one. */
  readonly lastModifiedMs?: number;
  readonly copiesInService?: number;
  readonly copiesDesired?: number;
  readonly componentStatus?: string;
  readonly instancesInService?: number;
  readonly instancesDesired?: number;
}

/**
 * A change of capacity in service, exact to DescribeInferenceComponent's (or, for a variant without
 * inference components, DescribeEndpoint's) LastModifiedTime.
 */
export interface CapacityChange {
  readonly atS: number;
  /** Copies in service; instances in service on an instance-autoscaled variant. */
  readonly copies: number;
}

export interface ScenarioFigures {
  /** First scaling activity that added capacity started (the policy or its alarm fired), s. */
  readonly triggerAtS?: number;
  /** First window whose p99 latency broke the SLO, or in which a request failed, s. */
  readonly sloBreachAtS?: number;
  /** First new copy (or instance) in service, s. */
  readonly firstAddedCapacityAtS?: number;
  /** Capacity in service reached the most the scenario asked for, s. */
  readonly fullCapacityAtS?: number;
  /** From the first SLO breach or policy trigger (whichever came first) to the first added capacity in service, s. */
  readonly timeToFirstAddedCapacityS?: number;
  /** From the same origin to full capacity, s. */
  readonly timeToFullCapacityS?: number;
  /** From the first request after scale to zero to the first success, s (scale-from-zero). */
  readonly coldStartS?: number;
  /** Copies in service at the start and the most in service. */
  readonly startCapacity: number;
  readonly peakCapacity: number;
  /** Requests sent while capacity was being added (trigger → full capacity) that failed, by kind. */
  readonly failedDuringScaling: number;
  readonly throttledDuringScaling: number;
  readonly noCapacityFailures: number;
  readonly failedByKind: Readonly<Partial<Record<ScenarioErrorKind, number>>>;
  readonly requests: number;
  readonly ok: number;
  /** Instance-hours billed during the scenario (instances in service × time). */
  readonly instanceHours: number;
  /** Their on-demand cost at `hourlyUsd`. */
  readonly costUsd: number;
}

export interface ScenarioResult {
  readonly schemaVersion: typeof SCENARIO_RESULT_VERSION;
  readonly spec: ScenarioSpec;
  readonly target: TargetDescription;
  readonly payload: PayloadDescription;
  readonly deployment?: { readonly id: string; readonly instanceType: string; readonly model: string };
  readonly startedAt: string;
  readonly durationS: number;
  /** The policy the endpoint scaled with, as its template declares it (when known). */
  readonly policy?: { readonly metricType?: string; readonly targetValue?: number; readonly scaleOutCooldownS?: number; readonly scaleInCooldownS?: number; readonly minCapacity: number; readonly maxCapacity: number };
  /** The twin's capacity model (offline runs): modelled copy load time and its stated assumptions. */
  readonly capacityModel?: { readonly copyLoadS: number; readonly instanceAddS: number; readonly assumptions: Readonly<Record<string, number | string>> };
  /** On-demand price of one instance, USD/h, and its source. */
  readonly hourlyUsd: number;
  readonly priceSource: string;
  /** What capacity counts: copies of an inference component, or instances of a variant without components. Absent: copies. */
  readonly capacityUnit?: 'copies' | 'instances';
  readonly samples: readonly ScenarioSample[];
  readonly capacityChanges: readonly CapacityChange[];
  readonly activities: readonly ScenarioScalingActivity[];
  readonly figures: ScenarioFigures;
  /** The endpoint's CloudWatch telemetry of the run (its own `schemaVersion`; absent when not read). */
  readonly server?: ScenarioServerTelemetry;
  /**
   * Set when the run failed: the state (or step) that failed and its error. The samples and figures
   * then hold what was measured until the failure (a partial report).
   */
  readonly failure?: ScenarioFailure;
}

export interface ScenarioFailure {
  /** The pipeline state that failed (e.g. ScenarioWindows), or the CLI step. */
  readonly state: string;
  readonly error: string;
  readonly cause?: string;
}

/** One request as the figures need it: seconds on the scenario clock. */
export interface ScenarioRequest {
  readonly sentS: number;
  readonly endS: number;
  readonly error?: ScenarioErrorKind;
}

export interface DeriveInput {
  readonly spec: ScenarioSpec;
  /** What capacity counts: copies of an inference component, or instances of a variant without components. Absent: copies. */
  readonly capacityUnit?: 'copies' | 'instances';
  readonly samples: readonly ScenarioSample[];
  readonly capacityChanges: readonly CapacityChange[];
  readonly activities: readonly ScenarioScalingActivity[];
  readonly requests: readonly ScenarioRequest[];
  readonly startCapacity: number;
  readonly hourlyUsd: number;
  readonly durationS: number;
}

/** The derived figures of a scenario (pure: the same inputs give the same figures). */
export function deriveScenarioFigures(input: DeriveInput): ScenarioFigures {
  const { spec, samples, capacityChanges, activities, requests } = input;
  const outs = activities.filter((a) => a.toCapacity !== undefined && isScaleOut(a, input.startCapacity, activities));
  const triggerAtS = outs.length > 0 ? Math.min(...outs.map((a) => a.startS)) : undefined;
  const breach = samples.find((s) => (spec.sloP99LatencyMs !== undefined && (s.latencyP99Ms ?? 0) > spec.sloP99LatencyMs) || Object.values(s.errors).some((n) => (n ?? 0) > 0));
  const sloBreachAtS = breach?.tS;
  const origin = minDefined(triggerAtS, sloBreachAtS);
  const peakCapacity = Math.max(input.startCapacity, ...capacityChanges.map((c) => c.copies));
  const added = capacityChanges.find((c) => c.copies > input.startCapacity && (origin === undefined || c.atS >= origin));
  const full = peakCapacity > input.startCapacity ? capacityChanges.find((c) => c.copies >= peakCapacity) : undefined;
  const failed = (from: number, to: number): ScenarioRequest[] => requests.filter((r) => r.error !== undefined && r.sentS >= from && r.sentS <= to);
  const scaling = origin !== undefined ? failed(origin, full?.atS ?? input.durationS) : [];
  const failedByKind: Partial<Record<ScenarioErrorKind, number>> = {};
  for (const r of requests) if (r.error !== undefined) failedByKind[r.error] = (failedByKind[r.error] ?? 0) + 1;
  let coldStartS: number | undefined;
  if (spec.kind === 'scale-from-zero') {
    const first = [...requests].sort((a, b) => a.sentS - b.sentS)[0];
    const firstOk = requests.filter((r) => r.error === undefined).sort((a, b) => a.endS - b.endS)[0];
    if (first !== undefined && firstOk !== undefined) coldStartS = firstOk.endS - first.sentS;
  }
  const instanceHours = instanceSeconds(samples, input.durationS) / 3600;
  return {
    ...(triggerAtS !== undefined ? { triggerAtS } : {}),
    ...(sloBreachAtS !== undefined ? { sloBreachAtS } : {}),
    ...(added ? { firstAddedCapacityAtS: added.atS } : {}),
    ...(full ? { fullCapacityAtS: full.atS } : {}),
    ...(added && origin !== undefined ? { timeToFirstAddedCapacityS: added.atS - origin } : {}),
    ...(full && origin !== undefined ? { timeToFullCapacityS: full.atS - origin } : {}),
    ...(coldStartS !== undefined ? { coldStartS } : {}),
    startCapacity: input.startCapacity,
    peakCapacity,
    failedDuringScaling: scaling.length,
    throttledDuringScaling: scaling.filter((r) => r.error === 'throttled' || r.error === 'overloaded').length,
    noCapacityFailures: failedByKind.no_capacity ?? 0,
    failedByKind,
    requests: requests.length,
    ok: requests.filter((r) => r.error === undefined).length,
    instanceHours,
    costUsd: instanceHours * input.hourlyUsd,
  };
}

/** The capacity an activity sets, from its Description ("Setting desired copy count to 3."). */
export function capacityOfDescription(description: string): number | undefined {
  const match = /to (\d+)\.?$/.exec(description.trim());
  return match ? Number(match[1]) : undefined;
}

function isScaleOut(a: ScenarioScalingActivity, startCapacity: number, all: readonly ScenarioScalingActivity[]): boolean {
  const before = all.filter((b) => b.startS < a.startS && b.toCapacity !== undefined).sort((x, y) => y.startS - x.startS)[0];
  return (a.toCapacity ?? 0) > (before?.toCapacity ?? startCapacity);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** ∫ instances in service dt over the samples (each holds until the next; the last until the end). */
function instanceSeconds(samples: readonly ScenarioSample[], durationS: number): number {
  let total = 0;
  samples.forEach((s, i) => {
    const next = samples[i + 1]?.tS ?? durationS;
    total += (s.instancesInService ?? 0) * Math.max(0, next - s.tS);
  });
  return total;
}
