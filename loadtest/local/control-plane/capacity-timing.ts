import type { ModelSpec } from '../../../lib/catalog/types';
import { weightsBytes } from '../../../lib/planner/memory';

/**
 * How long new capacity takes in the twin, from the model's weight size. AWS publishes no figure
 * for copy placement or instance provisioning; every parameter below is an assumption with the
 * reasoning beside it, and each can be set (fleet `benchmark.scenarioParams.capacity`, or the
 * scenario params file).
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

/** Merges overrides into the defaults; a non-positive or non-finite value names its field. */
export function resolveCapacityTiming(overrides: Partial<CapacityTimingParams> = {}): CapacityTimingParams {
  const merged = { ...DEFAULT_CAPACITY_TIMING, ...overrides };
  for (const [field, value] of Object.entries(merged)) {
    const positive = field === 'containerStartS' || field === 'instanceProvisionS' ? value >= 0 : value > 0;
    if (typeof value !== 'number' || !Number.isFinite(value) || !positive) {
      throw new RangeError(`capacity.${field} must be a number ${field.endsWith('S') ? '≥ 0 (s)' : '> 0 (GB/s)'}, got ${String(value)}`);
    }
  }
  return merged;
}
