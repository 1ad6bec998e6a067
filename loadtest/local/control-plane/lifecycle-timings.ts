/**
 * How long each control-plane transition of the local endpoint takes, in virtual ms. AWS publishes
 * no figures for these; the AWS-like defaults only keep the order of events and the rough scale
 * ("the provisioning process takes several minutes":
 * https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html).
 */
export interface LifecycleTimings {
  /** CreateEndpoint: Creating → InService. */
  readonly endpointCreateMs: number;
  /** From the endpoint being InService to its inference components being created (CloudFormation creates them after it). */
  readonly componentCreateDelayMs: number;
  /** Placing (or removing) one model copy: CurrentCopyCount moves by one per step toward DesiredCopyCount. */
  readonly copyPlacementMs: number;
  /** UpdateEndpoint / UpdateEndpointWeightsAndCapacities: Updating → InService. */
  readonly endpointUpdateMs: number;
  /** RollingBack → InService after a failed update. */
  readonly rollbackMs: number;
  /** From the first invocation refused for lack of capacity to the scale-out-from-zero policy asking for a copy. */
  readonly scaleOutFromZeroMs: number;
}

/** Every transition at once: the endpoint is InService with all its copies at the first call. */
export const INSTANT_TIMINGS: LifecycleTimings = {
  endpointCreateMs: 0,
  componentCreateDelayMs: 0,
  copyPlacementMs: 0,
  endpointUpdateMs: 0,
  rollbackMs: 0,
  scaleOutFromZeroMs: 0,
};

/** Minutes, as a real deployment shows them (see above: not published figures). */
export const AWS_LIKE_TIMINGS: LifecycleTimings = {
  endpointCreateMs: 8 * 60_000,
  componentCreateDelayMs: 30_000,
  copyPlacementMs: 60_000,
  endpointUpdateMs: 5 * 60_000,
  rollbackMs: 3 * 60_000,
  scaleOutFromZeroMs: 2 * 60_000,
};

/** Every transition within a few 30 s polls: an offline run shows the whole lifecycle in seconds of wall time. */
export const QUICK_TIMINGS: LifecycleTimings = {
  endpointCreateMs: 30_000,
  // Two 30 s polls: a pipeline always sees the endpoint InService before its component exists.
  componentCreateDelayMs: 60_000,
  copyPlacementMs: 10_000,
  endpointUpdateMs: 60_000,
  rollbackMs: 30_000,
  scaleOutFromZeroMs: 60_000,
};

export type LifecyclePreset = 'instant' | 'quick' | 'aws-like';

export function resolveTimings(timings: Partial<LifecycleTimings> | LifecyclePreset | undefined): LifecycleTimings {
  if (timings === undefined || timings === 'instant') return INSTANT_TIMINGS;
  if (timings === 'aws-like') return AWS_LIKE_TIMINGS;
  if (timings === 'quick') return QUICK_TIMINGS;
  const resolved = { ...INSTANT_TIMINGS, ...timings };
  for (const [field, value] of Object.entries(resolved)) {
    if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`lifecycle timing ${field} must be a number ≥ 0 (virtual ms), got ${value}`);
  }
  return resolved;
}
