/**
 * Roofline theory of one decode or prefill step (docs/theory.md): a step reads the weights and
 * the KV cache of the batch from device memory and does 2 FLOPs per active parameter per token; it
 * takes the longer of the memory time and the compute time, plus two all-reduces per layer over the
 * interconnect when the model is sharded. Ideal peak figures, no efficiency factors: the engine's
 * step-time model (step-time.ts) adds the calibrated ones.
 */
import type { AcceleratorSpec, InstanceTypeSpec, InterconnectKind, ModelSpec } from '../catalog/types';
import { bytesPerParameter, kvBytesPerToken, weightsBytes } from './memory';

const MS_PER_S = 1000;

/** Peak dense fp16 FLOP/s of one accelerator. */
export function peakFlopsPerS(accelerator: AcceleratorSpec): number {
  return accelerator.denseFp16Tflops * 1e12;
}

/** Peak memory bandwidth of one accelerator, bytes/s. */
export function memoryBandwidthBytesPerS(accelerator: AcceleratorSpec): number {
  return accelerator.memoryBandwidthGBs * 1e9;
}

/**
 * Arithmetic intensity limit = peak FLOPS / memory bandwidth (ops per byte). *Published*: A10G
 * 70 TFLOPS / 600 GB/s ≈ 116; A100 ≈ 208 (312 TFLOPS / 1.5 TB/s).
 */
export function opsPerByte(accelerator: AcceleratorSpec): number {
  return peakFlopsPerS(accelerator) / memoryBandwidthBytesPerS(accelerator);
}

/**
 * Critical batch B*: a decode step does 2 FLOPs per parameter per sequence and reads each 2-byte
 * parameter once, so its intensity is ≈ the batch size; below B* = FLOPS / bandwidth more sequences
 * are nearly free, above it the step is compute-bound. Rounded down to whole sequences.
 */
export function criticalBatch(accelerator: AcceleratorSpec): number {
  return Math.floor(opsPerByte(accelerator));
}

/**
 * Experts of one mixture-of-experts layer that a pass over `tokens` tokens touches, in expectation:
 * each token routes to k of E experts, so an expert is missed by one token with probability
 * (E − k) / E and by all of them with ((E − k) / E)^tokens (routing treated as independent per
 * token): E × (1 − ((E − k) / E)^tokens). One token touches k; a few dozen touch nearly all E.
 * E for a dense model (one "expert", always read).
 */
export function expectedExpertsTouched(model: ModelSpec, tokens: number): number {
  const experts = model.experts;
  if (experts === undefined) return 1;
  const { count, perToken } = experts;
  return count * (1 - Math.pow((count - perToken) / count, Math.max(1, tokens)));
}

/**
 * Weight bytes a pass over `tokens` tokens reads: everything for a dense model; for a
 * mixture-of-experts model the shared part (attention, embeddings, router) plus the experts the
 * tokens touch. The expert parameters follow from total and active counts:
 * total − active = expert params × (E − k) / E.
 */
export function weightBytesRead(model: ModelSpec, tokens: number): number {
  const experts = model.experts;
  if (experts === undefined) return weightsBytes(model);
  const { count, perToken } = experts;
  const expertParameters = ((model.parameters - model.activeParameters) * count) / (count - perToken);
  const sharedParameters = model.parameters - expertParameters;
  const touched = expectedExpertsTouched(model, tokens);
  return (sharedParameters + (expertParameters * touched) / count) * bytesPerParameter(model);
}

/**
 * Memory-bound decode step: (weights touched by the batch + KV cache read) / (TP × bandwidth), ms.
 * `kvTokensInBatch` is the total context (input + generated so far) of all sequences in the batch.
 */
export function decodeStepMsMemoryBound(model: ModelSpec, accelerator: AcceleratorSpec, tp: number, kvTokensInBatch: number, batch = 1): number {
  const bytesRead = weightBytesRead(model, batch) + kvBytesPerToken(model) * kvTokensInBatch;
  return (bytesRead / (tp * memoryBandwidthBytesPerS(accelerator))) * MS_PER_S;
}

/** Compute-bound decode step: 2 × active parameters × batch / (TP × FLOPS), ms. */
export function decodeStepMsComputeBound(model: ModelSpec, accelerator: AcceleratorSpec, tp: number, batch: number): number {
  return ((2 * model.activeParameters * batch) / (tp * peakFlopsPerS(accelerator))) * MS_PER_S;
}

/**
 * Prefill of `tokens` new tokens (one pass): compute of 2 FLOPs per active parameter per token plus
 * causal attention (≈ 2 × layers × tokens² × heads × head dim), or reading the weights once,
 * whichever is longer; ms, without the all-reduces.
 */
export function prefillMs(model: ModelSpec, accelerator: AcceleratorSpec, tp: number, tokens: number): number {
  const linearFlops = 2 * model.activeParameters * tokens;
  const attentionFlops = 2 * model.layers * tokens * tokens * model.attentionHeads * model.headDim;
  const computeMs = ((linearFlops + attentionFlops) / (tp * peakFlopsPerS(accelerator))) * MS_PER_S;
  const memoryMs = (weightBytesRead(model, tokens) / (tp * memoryBandwidthBytesPerS(accelerator))) * MS_PER_S;
  return Math.max(computeMs, memoryMs);
}

/**
 * Fixed latency of one all-reduce collective (NCCL launch + synchronisation), by interconnect.
 * Order-of-magnitude figures from NCCL small-message benchmarks (tens of µs over PCIe, ~10 µs over
 * NVLink); not measured on SageMaker: `verified: false`. The engine calibrates its own.
 */
export const ALL_REDUCE_LATENCY_US: Readonly<Record<InterconnectKind, number>> = { none: 0, PCIe: 30, NVLink: 10 };

export interface AllReduceOptions {
  /** Overrides the per-collective latency of the instance's interconnect, µs. */
  readonly latencyUsPerCollective?: number;
}

/**
 * Bytes one GPU's link carries per token of an all-reduce of hidden-size values. A ring all-reduce
 * moves 2 (TP − 1) / TP of the message over each GPU's own link; NVLink/NVSwitch gives every GPU its
 * link. On PCIe instances (g5, g6, g6e) the GPUs reach each other through the host's PCIe fabric,
 * which all TP ring flows share, so that fabric carries TP times as much: 2 (TP − 1) messages.
 */
export function allReduceLinkBytesPerToken(model: ModelSpec, instance: InstanceTypeSpec, tp: number): number {
  if (tp <= 1) return 0;
  const message = model.hiddenSize * bytesPerParameter(model);
  const ring = (2 * (tp - 1)) / tp;
  return instance.interconnect.kind === 'PCIe' ? ring * tp * message : ring * message;
}

/**
 * Tensor-parallel communication of one forward step, ms: two all-reduces per layer (after attention
 * and after the MLP) of `tokensInStep` × hidden size activations (see allReduceLinkBytesPerToken),
 * plus a fixed latency per collective. 0 for TP 1.
 */
export function allReduceMsPerStep(
  model: ModelSpec,
  instance: InstanceTypeSpec,
  tp: number,
  tokensInStep: number,
  options: AllReduceOptions = {},
): number {
  if (tp <= 1) return 0;
  const linkBytesPerS = instance.interconnect.bandwidthGBs * 1e9;
  if (!(linkBytesPerS > 0)) {
    throw new RangeError(`${instance.name} has no interconnect bandwidth; TP ${tp} needs one`);
  }
  const latencyS = (options.latencyUsPerCollective ?? ALL_REDUCE_LATENCY_US[instance.interconnect.kind]) / 1e6;
  const perCollectiveS = (tokensInStep * allReduceLinkBytesPerToken(model, instance, tp)) / linkBytesPerS + latencyS;
  return 2 * model.layers * perCollectiveS * MS_PER_S;
}

/**
 * Ideal decode step on the roofline: max(memory-bound, compute-bound) + all-reduces, ms.
 * `batch` sequences holding `kvTokensInBatch` tokens of context in total.
 */
export function decodeStepMsRoofline(model: ModelSpec, instance: InstanceTypeSpec, tp: number, batch: number, kvTokensInBatch: number): number {
  const memoryMs = decodeStepMsMemoryBound(model, instance.accelerator, tp, kvTokensInBatch, batch);
  const computeMs = decodeStepMsComputeBound(model, instance.accelerator, tp, batch);
  return Math.max(memoryMs, computeMs) + allReduceMsPerStep(model, instance, tp, batch);
}
