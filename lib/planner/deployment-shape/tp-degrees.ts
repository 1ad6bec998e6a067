/**
 * TP degrees TGI can shard a model at: the heads rule (one place) and the instance's GPU count.
 */
import type { InstanceTypeSpec, ModelSpec } from '../../catalog/types';

/**
 * Why TGI cannot shard the model's attention over `tp` GPUs, or undefined when it can.
 * - Attention heads are split evenly: "`num_heads` must be divisible by `num_shards`"
 *   (text-generation-inference v2.3.1, server/text_generation_server/models/custom_modeling/
 *   flash_llama_modeling.py line 162, flash_mistral_modeling.py line 134, flash_rw_modeling.py line 150).
 * - KV heads are split evenly too ("`num_key_value_heads` must be divisible by `num_shards`",
 *   flash_llama_modeling.py line 167; Falcon's KV groups: flash_rw_modeling.py lines 264 and 268), except a
 *   single KV head (multi-query attention), which every shard replicates (flash_rw_modeling.py line 167).
 */
export function headsProblem(model: Pick<ModelSpec, 'id' | 'attentionHeads' | 'kvHeads'>, tp: number): string | undefined {
  if (model.attentionHeads % tp !== 0) return `TP ${tp} must divide ${model.id}'s ${model.attentionHeads} attention heads`;
  if (model.kvHeads > 1 && model.kvHeads % tp !== 0) return `TP ${tp} must divide ${model.id}'s ${model.kvHeads} KV heads`;
  return undefined;
}

/** Why `tp` is not a valid TP degree for this model on this instance (shape only, not memory), or undefined. */
export function tpProblem(model: ModelSpec, instance: InstanceTypeSpec, tp: number): string | undefined {
  if (!Number.isInteger(tp) || tp < 1) return `TP must be a whole number ≥ 1, got ${tp}`;
  if (tp > instance.acceleratorCount) return `TP ${tp} needs ${tp} accelerators; ${instance.name} has ${instance.acceleratorCount}`;
  return headsProblem(model, tp);
}

/** TP degrees TGI accepts for this model on this instance (ascending; always includes 1). */
export function validTpDegrees(model: ModelSpec, instance: InstanceTypeSpec): number[] {
  const degrees: number[] = [];
  for (let tp = 1; tp <= instance.acceleratorCount; tp += 1) {
    if (tpProblem(model, instance, tp) === undefined) degrees.push(tp);
  }
  return degrees;
}

