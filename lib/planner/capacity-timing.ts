import type { ModelSpec } from '../catalog/types';
import { weightsBytes } from './memory';

/**
 * How long new capacity takes in the autoscaling twin, from the model's weight size. AWS publishes
 * no figure for copy placement or instance provisioning; every parameter below is an assumption with
 * the reasoning beside it (CAPACITY_TIMING_SOURCES), and each can be set, any subset: in the fleet
 * file (`benchmark.twin.capacity`, in `defaults` or per deployment; the deployment's wins field by
 * field), then by the `--capacity key=value,…` flag of `npm start -- --scenario` and
 * `llm-bench scenario --twin`, which overrides the fleet. A twin-only setting: the synthesized
 * templates do not carry it.
 */
export interface CapacityTimingParams {
  /** Starting the serving container of a new copy on an instance that already holds its image, s. */
  readonly containerStartS: number;
  /** Weight download from S3 to the instance, GB/s. */
  readonly downloadGBps: number;
  /** Weight load from the instance's disk into GPU memory, GB/s. */
  readonly loadToGpuGBps: number;
  /** A new instance from request to ready for copies (before any copy loads), s. */
  readonly instanceProvisionS: number;
}

export const CAPACITY_TIMING_SOURCES: Readonly<Record<keyof CapacityTimingParams, string>> = {
  containerStartS:
    'assumption: 30 s to start a TGI container whose image is already on the instance (no AWS figure; TGI logs show tens of seconds from start to "Connected")',
  downloadGBps:
    'assumption: 0.7 GB/s ≈ 8 S3 connections × ~85-90 MB/s each (https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance-design-patterns.html: "one concurrent request for each 85–90 MB/s of desired network throughput")',
  loadToGpuGBps: 'assumption: 2 GB/s from local NVMe to GPU memory (safetensors read; no AWS figure)',
  instanceProvisionS:
    'assumption: 5 min; "the provisioning process takes several minutes" (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html)',
};

export const DEFAULT_CAPACITY_TIMING: CapacityTimingParams = { containerStartS: 30, downloadGBps: 0.7, loadToGpuGBps: 2, instanceProvisionS: 300 };

/** Weight size in GB (1e9 bytes) of the whole model: the planner's memory model. */
export function weightsGB(model: ModelSpec): number {
  return weightsBytes(model) / 1e9;
}

/** One new copy on an instance with free accelerators: container start + download + load to GPU, ms. */
export function copyLoadMs(model: ModelSpec, params: CapacityTimingParams = DEFAULT_CAPACITY_TIMING): number {
  const gb = weightsGB(model);
  return Math.round((params.containerStartS + gb / params.downloadGBps + gb / params.loadToGpuGBps) * 1000);
}

/** One new instance serving its copies: provisioning, then a copy load, ms. */
export function instanceAddMs(model: ModelSpec, params: CapacityTimingParams = DEFAULT_CAPACITY_TIMING): number {
  return Math.round(params.instanceProvisionS * 1000) + copyLoadMs(model, params);
}

/** Allowed range of each parameter: the one rule the fleet schema, the --capacity flag and the twin check. */
export const CAPACITY_TIMING_RANGES: Readonly<Record<keyof CapacityTimingParams, { readonly min: number; readonly minExclusive: boolean; readonly unit: 's' | 'GB/s' }>> = {
  containerStartS: { min: 0, minExclusive: false, unit: 's' },
  downloadGBps: { min: 0, minExclusive: true, unit: 'GB/s' },
  loadToGpuGBps: { min: 0, minExclusive: true, unit: 'GB/s' },
  instanceProvisionS: { min: 0, minExclusive: false, unit: 's' },
};

export const CAPACITY_TIMING_FIELDS = Object.keys(CAPACITY_TIMING_RANGES) as readonly (keyof CapacityTimingParams)[];

/** The allowed range of `field` in words, e.g. `a number ≥ 0 (s)`. */
export function capacityTimingRange(field: keyof CapacityTimingParams): string {
  const r = CAPACITY_TIMING_RANGES[field];
  return `a number ${r.minExclusive ? '>' : '≥'} ${r.min} (${r.unit})`;
}

/** True when `value` is allowed for `field` (a finite number in its range). */
export function isCapacityTimingValue(field: keyof CapacityTimingParams, value: unknown): value is number {
  const r = CAPACITY_TIMING_RANGES[field];
  return typeof value === 'number' && Number.isFinite(value) && (r.minExclusive ? value > r.min : value >= r.min);
}

export function isCapacityTimingField(key: string): key is keyof CapacityTimingParams {
  return Object.prototype.hasOwnProperty.call(CAPACITY_TIMING_RANGES, key);
}

/** Where a resolved parameter came from: the documented assumption, the fleet file or the --capacity flag. */
export type CapacityTimingOrigin = 'default' | 'fleet' | 'flag';

export interface ResolvedCapacityTiming {
  readonly params: CapacityTimingParams;
  readonly origins: Readonly<Record<keyof CapacityTimingParams, CapacityTimingOrigin>>;
}

/**
 * The defaults, then the fleet's `benchmark.twin.capacity`, then the flag's overrides, field by
 * field; a value out of its range names its field (`capacity.downloadGBps must be a number > 0 (GB/s), got 0`).
 */
export function resolveCapacityTimingLayers(layers: { readonly fleet?: Partial<CapacityTimingParams>; readonly flag?: Partial<CapacityTimingParams> } = {}): ResolvedCapacityTiming {
  const params: Record<string, number> = { ...DEFAULT_CAPACITY_TIMING };
  const origins: Record<string, CapacityTimingOrigin> = Object.fromEntries(CAPACITY_TIMING_FIELDS.map((f) => [f, 'default']));
  for (const origin of ['fleet', 'flag'] as const) {
    for (const [field, value] of Object.entries(layers[origin] ?? {})) {
      if (!isCapacityTimingField(field)) throw new RangeError(`capacity.${field} is not a capacity parameter; allowed: ${CAPACITY_TIMING_FIELDS.join(', ')}`);
      if (value === undefined) continue;
      if (!isCapacityTimingValue(field, value)) throw new RangeError(`capacity.${field} must be ${capacityTimingRange(field)}, got ${String(value)}`);
      params[field] = value;
      origins[field] = origin;
    }
  }
  return { params: params as unknown as CapacityTimingParams, origins: origins as ResolvedCapacityTiming['origins'] };
}

/** Merges overrides into the defaults; a value out of its range names its field. */
export function resolveCapacityTiming(overrides: Partial<CapacityTimingParams> = {}): CapacityTimingParams {
  return resolveCapacityTimingLayers({ flag: overrides }).params;
}

/** Where each resolved value came from, as scenario.json's `capacityModel.assumptions` records it (`{field}Source`). */
export function capacityTimingSource(field: keyof CapacityTimingParams, origin: CapacityTimingOrigin): string {
  return origin === 'default' ? CAPACITY_TIMING_SOURCES[field] : origin === 'fleet' ? 'fleet (benchmark.twin.capacity)' : 'flag (--capacity)';
}
