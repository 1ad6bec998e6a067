/**
 * Typed LMI settings ↔ the container environment of the LMI image (`djl-inference`). Environment
 * variables `OPTION_X` become the model property `option.x` (djl-serving ModelInfo.java lines
 * 900-912), `SERVING_X` the server property `x` (ConfigManager.java lines 134-138);
 * TENSOR_PARALLEL_DEGREE is read by LmiConfigRecommender.java line 92; MAX_CONCURRENT_REQUESTS
 * becomes SERVING_JOB_QUEUE_SIZE in the image's entrypoint unless that is set
 * (serving/docker/dockerd-entrypoint-with-cuda-compat.sh line 49), all at djl-serving branch
 * 0.36.0-lmi27-dlc.
 */
import type { LmiSettings } from '../../catalog/types';

/** A typed LMI setting, the TP degree, or a raw container variable set through the escape hatch. */
export type LmiField = keyof LmiSettings | 'tp' | 'dtype' | `env.${string}`;

/** Container variable of each typed setting. */
export const LMI_ENV_NAMES: Readonly<Record<keyof LmiSettings | 'tp' | 'dtype', string>> = {
  rollingBatch: 'OPTION_ROLLING_BATCH',
  maxRollingBatchSize: 'OPTION_MAX_ROLLING_BATCH_SIZE',
  maxModelLen: 'OPTION_MAX_MODEL_LEN',
  maxConcurrentRequests: 'MAX_CONCURRENT_REQUESTS',
  maxNumBatchedTokens: 'OPTION_MAX_NUM_BATCHED_TOKENS',
  gpuMemoryUtilization: 'OPTION_GPU_MEMORY_UTILIZATION',
  enableChunkedPrefill: 'OPTION_ENABLE_CHUNKED_PREFILL',
  enablePrefixCaching: 'OPTION_ENABLE_PREFIX_CACHING',
  jobQueueSize: 'SERVING_JOB_QUEUE_SIZE',
  tp: 'TENSOR_PARALLEL_DEGREE',
  dtype: 'OPTION_DTYPE',
};

/** vLLM's own names LMI passes through (`option.tensor_parallel_size`, `option.max_num_seqs`). */
export const VLLM_PASSTHROUGH_NAMES = { tensorParallelSize: 'OPTION_TENSOR_PARALLEL_SIZE', maxNumSeqs: 'OPTION_MAX_NUM_SEQS' } as const;

/** The LMI variables of typed settings; unset optional values are left to the container. */
export function lmiEnv(settings: LmiSettings & { readonly tp: number; readonly dtype?: string }): Record<string, string> {
  const env: Record<string, string> = {
    [LMI_ENV_NAMES.tp]: String(settings.tp),
    [LMI_ENV_NAMES.rollingBatch]: settings.rollingBatch,
    [LMI_ENV_NAMES.maxRollingBatchSize]: String(settings.maxRollingBatchSize),
    [LMI_ENV_NAMES.maxModelLen]: String(settings.maxModelLen),
    [LMI_ENV_NAMES.maxConcurrentRequests]: String(settings.maxConcurrentRequests),
  };
  const optional: [keyof LmiSettings | 'dtype', string | number | boolean | undefined][] = [
    ['maxNumBatchedTokens', settings.maxNumBatchedTokens],
    ['gpuMemoryUtilization', settings.gpuMemoryUtilization],
    ['enableChunkedPrefill', settings.enableChunkedPrefill],
    ['enablePrefixCaching', settings.enablePrefixCaching],
    ['jobQueueSize', settings.jobQueueSize],
    ['dtype', settings.dtype],
  ];
  for (const [key, value] of optional) if (value !== undefined) env[LMI_ENV_NAMES[key]] = String(value);
  return env;
}
