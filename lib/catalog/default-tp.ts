/**
 * JumpStart's default tensor-parallel degree: SM_NUM_GPUS = all GPUs of the instance.
 * An instance is listed for a model only where that degree is valid and the weights fit.
 */
import type { InstanceTypeSpec, ModelDtype } from './types';

/** Weights may take at most this share of each GPU's memory; the rest holds KV cache, activations, CUDA context. */
export const MAX_WEIGHTS_SHARE_OF_GPU_MEMORY = 0.9;

const BYTES_PER_PARAMETER: Readonly<Record<ModelDtype, number>> = { float16: 2, bfloat16: 2 };

export interface ShardableArchitecture {
  readonly parameters: number;
  readonly attentionHeads: number;
  readonly kvHeads: number;
  readonly dtype: ModelDtype;
}

/** TGI shards attention heads evenly; KV heads are split, or replicated when fewer than the shards. */
export function tpDividesHeads(arch: ShardableArchitecture, tp: number): boolean {
  if (arch.attentionHeads % tp !== 0) return false;
  return arch.kvHeads >= tp ? arch.kvHeads % tp === 0 : tp % arch.kvHeads === 0;
}

export function weightsFitAtTp(arch: ShardableArchitecture, instance: InstanceTypeSpec, tp: number): boolean {
  const weightsBytesPerShard = (arch.parameters * BYTES_PER_PARAMETER[arch.dtype]) / tp;
  return weightsBytesPerShard <= MAX_WEIGHTS_SHARE_OF_GPU_MEMORY * instance.accelerator.memoryGB * 1e9;
}

export function defaultTpByInstanceFor(
  arch: ShardableArchitecture,
  instances: readonly InstanceTypeSpec[],
): Readonly<Record<string, number>> {
  const byInstance: Record<string, number> = {};
  for (const instance of instances) {
    const tp = instance.acceleratorCount;
    if (tpDividesHeads(arch, tp) && weightsFitAtTp(arch, instance, tp)) byInstance[instance.name] = tp;
  }
  return byInstance;
}
