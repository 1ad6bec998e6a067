/**
 * Device memory theory (docs/theory.md "Why the curve bends"): what the weights take,
 * what one token of KV cache takes, and how many tokens of KV cache fit beside the weights.
 * Pure functions of catalog specs; sizes in bytes, "GB" means 10^9 bytes as vendors quote memory.
 */
import type { AcceleratorSpec, InstanceTypeSpec, ModelDtype, ModelSpec } from '../catalog/types';

export const BYTES_PER_GB = 1e9;

/** Bytes per parameter (and per KV element) of each serving dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<ModelDtype, number>> = { float16: 2, bfloat16: 2 };

/**
 * Memory the serving runtime keeps for itself on every accelerator, beside weights and KV cache:
 * the CUDA context with cuBLAS / NCCL workspaces (a fixed part) plus the activations of the warm-up
 * prefill pass and allocator fragmentation (a part proportional to the device).
 *
 * The figures are chosen so that the published worked example holds (docs/theory.md, *published*):
 * Llama 2 7B (13.5 GB of weights) on one A10G (24 GB) leaves ≈10 GB for KV cache, a batch of about 4
 * sequences of 4,096 tokens. With 0.5 GB + 2 % the A10G keeps 0.98 GB, leaving 9.54 GB of KV cache
 * (4.4 sequences of 2 GiB). A larger allowance (e.g. 1.5 GB + 2 %) would leave ≈9 GB, still 4
 * sequences but further from the published ≈10 GB; a smaller one would contradict TGI's observed
 * need for a CUDA context of a few hundred MB. Not measured by us: `verified: false`.
 */
export const RUNTIME_ALLOWANCE = {
  fixedBytesPerAccelerator: 0.5e9,
  fractionOfDeviceMemory: 0.02,
  verified: false,
} as const;

/** Bytes per parameter of the model's serving dtype (2 for fp16/bf16). */
export function bytesPerParameter(model: ModelSpec): number {
  return BYTES_PER_ELEMENT[model.dtype];
}

/** Weights of the whole model (all experts of a mixture-of-experts): parameters × bytes per parameter. */
export function weightsBytes(model: ModelSpec): number {
  return model.parameters * bytesPerParameter(model);
}

/** Weights held by one tensor-parallel shard (TGI shards every layer, embeddings included). */
export function weightsBytesPerShard(model: ModelSpec, tp: number): number {
  return weightsBytes(model) / tp;
}

/**
 * KV cache of one token for the whole model: 2 (K and V) × layers × KV heads × head dim × bytes.
 * Llama 2 7B: 2 × 32 × 32 × 128 × 2 = 524,288 B = 0.5 MiB. Grouped-query attention shrinks it by
 * attention heads / KV heads.
 */
export function kvBytesPerToken(model: ModelSpec): number {
  return 2 * model.layers * model.kvHeads * model.headDim * BYTES_PER_ELEMENT[model.dtype];
}

/**
 * KV heads each shard holds: KV heads / TP, or all of them when a multi-query model (1 KV head)
 * replicates its single head on every shard.
 */
export function kvHeadsPerShard(model: ModelSpec, tp: number): number {
  return Math.max(1, Math.ceil(model.kvHeads / tp));
}

/** KV cache of one token on one shard. Equals kvBytesPerToken / tp when TP divides the KV heads. */
export function kvBytesPerTokenPerShard(model: ModelSpec, tp: number): number {
  return 2 * model.layers * kvHeadsPerShard(model, tp) * model.headDim * BYTES_PER_ELEMENT[model.dtype];
}

/** Runtime allowance (CUDA context, activations, fragmentation) kept on one accelerator, bytes. */
export function runtimeAllowanceBytes(accelerator: AcceleratorSpec): number {
  const memoryBytes = accelerator.memoryGB * BYTES_PER_GB;
  return RUNTIME_ALLOWANCE.fixedBytesPerAccelerator + RUNTIME_ALLOWANCE.fractionOfDeviceMemory * memoryBytes;
}

/**
 * Memory left for KV cache on one shard: device memory − weights / TP − runtime allowance.
 * Negative when the weights do not fit (the deficit, useful for shortfall reports).
 */
export function kvBudgetBytesPerShard(model: ModelSpec, accelerator: AcceleratorSpec, tp: number): number {
  const memoryBytes = accelerator.memoryGB * BYTES_PER_GB;
  return memoryBytes - weightsBytesPerShard(model, tp) - runtimeAllowanceBytes(accelerator);
}

/** Memory left for KV cache across the TP shards of one model copy, bytes (0 when weights do not fit). */
export function kvBudgetBytes(model: ModelSpec, instance: InstanceTypeSpec, tp: number): number {
  return Math.max(0, kvBudgetBytesPerShard(model, instance.accelerator, tp)) * tp;
}

/**
 * Tokens of KV cache one model copy can hold at TP `tp`: Σ over shards of the free memory / KV per
 * token. Every shard holds its slice of every token, so the smallest shard budget decides; with KV
 * heads replicated (multi-query) each shard stores the whole head. 0 when the weights do not fit.
 */
export function kvCapacityTokens(model: ModelSpec, instance: InstanceTypeSpec, tp: number): number {
  const budgetPerShard = kvBudgetBytesPerShard(model, instance.accelerator, tp);
  if (budgetPerShard <= 0) return 0;
  return Math.floor(budgetPerShard / kvBytesPerTokenPerShard(model, tp));
}

/** Sequences of `tokensPerSequence` (input + output) whose KV cache fits at once: the memory bound on batch. */
export function maxBatchByMemory(model: ModelSpec, instance: InstanceTypeSpec, tp: number, tokensPerSequence: number): number {
  if (!(tokensPerSequence > 0)) throw new RangeError(`tokensPerSequence must be > 0, got ${tokensPerSequence}`);
  return Math.floor(kvCapacityTokens(model, instance, tp) / tokensPerSequence);
}
