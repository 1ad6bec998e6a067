/**
 * vLLM's own defaults that decide how an LMI replica schedules, each with its source. LMI passes
 * `max_num_seqs` (OPTION_MAX_ROLLING_BATCH_SIZE) and, when set, `max_num_batched_tokens`
 * (OPTION_MAX_NUM_BATCHED_TOKENS) to vLLM (deepjavalibrary/djl-serving
 * engines/python/setup/djl_python/properties_manager/vllm_rb_properties.py,
 * `generate_vllm_engine_arg_dict`) and leaves the rest to vLLM's defaults.
 */

const VLLM = 'https://github.com/vllm-project/vllm/blob';

export const VLLM_DEFAULTS = {
  /**
   * Tokens per KV-cache block (paged attention): memory is handed out and accounted in whole
   * blocks. vllm/config/cache.py `CacheConfig.DEFAULT_BLOCK_SIZE = 16` (CUDA).
   */
  blockSizeTokens: 16,
  /**
   * Fraction of each GPU's memory vLLM plans weights, activations and KV cache in; the KV cache
   * gets what is left of it after the weights and the profiled activations. vllm/config/cache.py
   * `gpu_memory_utilization: float = Field(default=0.92, …)` at 002f10e0; it was 0.90 in older
   * releases (vllm/engine/arg_utils.py `EngineArgs.gpu_memory_utilization = 0.90` at 001999d2). The
   * exact value in vLLM 0.23.1 (LMI v27) was not read from its tag: `verified: false`.
   */
  gpuMemoryUtilization: 0.92,
  /**
   * Tokens one scheduler step may process (decode tokens + prefill chunks) when neither LMI nor
   * the user sets it: vllm/config/scheduler.py `SchedulerConfig.DEFAULT_MAX_NUM_BATCHED_TOKENS = 2048`
   * (vllm/engine/arg_utils.py raises it only for the OpenAI server and LLM class usage contexts on
   * large GPUs; LMI builds the async engine itself).
   */
  maxNumBatchedTokens: 2048,
  /** Chunked prefill is on by default in the V1 engine (vllm/config/scheduler.py `enable_chunked_prefill`). */
  enableChunkedPrefill: true,
  sources: {
    cache: `${VLLM}/002f10e0cfa1373a19a0d2756598a34b700d20e5/vllm/config/cache.py`,
    olderEngineArgs: `${VLLM}/001999d2f360c2c5da23a916510c273b1a73d06c/vllm/engine/arg_utils.py`,
    scheduler: `${VLLM}/main/vllm/config/scheduler.py`,
  },
  verified: false,
} as const;
