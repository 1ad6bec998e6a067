/**
 * The conditions under which the LMI container (djl-inference with vLLM) refuses to start, written
 * once with their sources: the synth-time rules (lmi-rules.ts, messages in this project's field
 * names) and the runtime container-start judge (loadtest/local/judges/lmi-launcher.ts, the
 * container's own messages) both decide with these.
 *
 * Sources. djl-serving at branch 0.36.0-lmi27-dlc (head 7e13b081383bd46293d4b49ab214d4757b1effd5),
 * the source of the LMI 27.0.0 image the catalog pins (lib/catalog/lmi-images.ts). That image bundles
 * vLLM 0.23.1.dev4+gcd87ce883 (serving/docker/lmi-container-requirements.txt); that build's commit
 * could not be read here, so the vLLM checks are read at the stored vLLM commits named beside each
 * (the checks and messages are the same in each version read).
 */
import { DJL_LMI27 } from '../../catalog/lmi-images';

export { DJL_LMI27 };
export const DJL_PROPERTIES = `${DJL_LMI27}/engines/python/setup/djl_python/properties_manager/properties.py`;
export const DJL_VLLM_RB_PROPERTIES = `${DJL_LMI27}/engines/python/setup/djl_python/properties_manager/vllm_rb_properties.py`;
export const DJL_LMI_CONFIG_RECOMMENDER = `${DJL_LMI27}/wlm/src/main/java/ai/djl/serving/wlm/LmiConfigRecommender.java`;
export const VLLM_SCHEDULER = 'https://github.com/vllm-project/vllm/blob/01230b40128e570a58e54e75f7e55c4d5cd9246d/vllm/config/scheduler.py';
export const VLLM_MODEL = 'https://github.com/vllm-project/vllm/blob/0052a5b818980ce8a0477706aaf9f75bd5af72cd/vllm/config/model.py';
export const VLLM_PARALLEL = 'https://github.com/vllm-project/vllm/blob/00193b82b0e2d4faea5d3b4ea4f6c4c2bd9d057a/vllm/config/parallel.py';
export const VLLM_CACHE = 'https://github.com/vllm-project/vllm/blob/002f10e0cfa1373a19a0d2756598a34b700d20e5/vllm/config/cache.py';

/** `option.rolling_batch` values: RollingBatchEnum (properties.py lines 20-24). */
export const LMI_ROLLING_BATCH_VALUES = ['vllm', 'auto', 'disable', 'trtllm'] as const;

/** `option.dtype` values: DTYPE_MAPPER keys (vllm_rb_properties.py lines 22-30, validate_dtype lines 136-142). */
export const LMI_DTYPE_VALUES = ['float32', 'fp32', 'float16', 'fp16', 'bfloat16', 'bf16', 'auto'] as const;

/** CacheConfig.gpu_memory_utilization: `Field(gt=0, le=1)` (vllm/config/cache.py). */
export function gpuMemoryUtilizationAllowed(value: number): boolean {
  return value > 0 && value <= 1;
}

/**
 * handle_lmi_vllm_config_conflicts (vllm_rb_properties.py lines 193-211): a vLLM name given next to
 * the DJL name LMI always sets (tensor_parallel_degree, pipeline_parallel_degree, max_rolling_batch_size)
 * is refused when `vllm_config_val != lmi_config_val`. The vLLM value is a pydantic extra and keeps
 * the string the container property holds (djl_python receives model properties as strings;
 * test_properties_manager.py passes engine args as strings), while the DJL value is a validated
 * int: '4' != 4, so LMI refuses any value of the vLLM name, equal or not.
 */
export function lmiVllmNameRefused(vllmValue: string | undefined): boolean {
  return vllmValue !== undefined;
}

/**
 * SchedulerConfig.verify_max_model_len (vllm/config/scheduler.py), first failing check in vLLM's
 * order: without chunked prefill the step budget must hold a whole sequence; it must always hold
 * one token of every running sequence.
 */
export function vllmSchedulerViolation(v: { readonly maxNumBatchedTokens: number; readonly maxNumSeqs: number; readonly maxModelLen: number; readonly chunkedPrefill: boolean }):
  | 'batched-below-model-len'
  | 'batched-below-seqs'
  | undefined {
  if (v.maxNumBatchedTokens < v.maxModelLen && !v.chunkedPrefill) return 'batched-below-model-len';
  if (v.maxNumBatchedTokens < v.maxNumSeqs) return 'batched-below-seqs';
  return undefined;
}

/**
 * _get_and_verify_max_len (vllm/config/model.py): a user max_model_len above the model's derived
 * maximum (max_position_embeddings) is refused unless VLLM_ALLOW_LONG_MAX_MODEL_LEN is set.
 */
export function vllmModelLenAllowed(maxModelLen: number, contextTokens: number, allowLong = false): boolean {
  return allowLong || maxModelLen <= contextTokens;
}

/**
 * ParallelConfig (vllm/config/parallel.py, __post_init__): with more than one worker on CUDA, the
 * world size (tensor × pipeline parallel) must fit the GPUs the node has.
 */
export function vllmWorldSizeFits(worldSize: number, gpus: number): boolean {
  return worldSize <= 1 || worldSize <= gpus;
}

/** ModelConfig.verify_with_parallel_config (vllm/config/model.py): TP divides the attention heads. */
export function vllmTpDividesAttentionHeads(tp: number, attentionHeads: number): boolean {
  return attentionHeads % tp === 0;
}
