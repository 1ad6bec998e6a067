import type { InstanceTypeSpec, ModelSpec } from '../../catalog/types';
import { BYTES_PER_GB, kvBytesPerTokenPerShard, runtimeAllowanceBytes, weightsBytesPerShard } from '../memory';

/**
 * vLLM's paged KV cache, block-granular: GPU memory × gpu_memory_utilization − the weights of the
 * shard − the runtime's own memory (CUDA context, profiled activations: the planner's runtime
 * allowance) is cut into blocks of `blockSizeTokens` tokens of KV (vllm/v1/worker: KV cache memory
 * / page size). A request holds ⌈tokens / block⌉ blocks; a block is the unit of allocation, so a
 * request of 17 tokens holds 2 blocks of 16.
 */

/** Blocks of `blockSizeTokens` tokens one model copy (TP shards) holds; 0 when the weights leave no room. */
export function kvCacheBlocks(model: ModelSpec, instance: InstanceTypeSpec, tp: number, gpuMemoryUtilization: number, blockSizeTokens: number): number {
  const planned = instance.accelerator.memoryGB * BYTES_PER_GB * gpuMemoryUtilization;
  const free = planned - weightsBytesPerShard(model, tp) - runtimeAllowanceBytes(instance.accelerator);
  if (free <= 0) return 0;
  return Math.floor(free / (kvBytesPerTokenPerShard(model, tp) * blockSizeTokens));
}

/** Blocks a sequence of `tokens` tokens of KV occupies. */
export function blocksFor(tokens: number, blockSizeTokens: number): number {
  return Math.ceil(tokens / blockSizeTokens);
}

/** The free-block pool of one replica: allocation either succeeds whole or not at all. */
export class BlockPool {
  private freeBlocks: number;

  constructor(readonly totalBlocks: number) {
    this.freeBlocks = totalBlocks;
  }

  get free(): number {
    return this.freeBlocks;
  }

  get used(): number {
    return this.totalBlocks - this.freeBlocks;
  }

  /** Takes `count` blocks if that many are free. */
  tryAllocate(count: number): boolean {
    if (count > this.freeBlocks) return false;
    this.freeBlocks -= count;
    return true;
  }

  release(count: number): void {
    this.freeBlocks += count;
    if (this.freeBlocks > this.totalBlocks) throw new RangeError(`released more blocks than allocated (${this.freeBlocks} > ${this.totalBlocks})`);
  }
}
