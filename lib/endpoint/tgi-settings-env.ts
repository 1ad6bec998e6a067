import type { TgiSettings } from '../catalog/types';

/**
 * Typed TGI settings → the container environment of the Hugging Face LLM DLC (TGI).
 * Variable names: https://huggingface.co/docs/text-generation-inference/reference/launcher
 * (`SM_NUM_GPUS` is how the SageMaker entrypoint of the DLC passes `--num-shard`:
 * https://huggingface.co/docs/sagemaker/reference/inference-toolkit ).
 */

/** Quantization methods TGI's `--quantize` accepts that need no pre-quantized checkpoint conversion here. */
export type TgiQuantize = 'bitsandbytes' | 'bitsandbytes-nf4' | 'bitsandbytes-fp4' | 'eetq' | 'fp8' | 'awq' | 'gptq';

/** Settings rendered into the container environment. */
export interface TgiContainerSettings extends TgiSettings {
  /** Tensor-parallel degree: GPUs one model copy is sharded over (`SM_NUM_GPUS`). */
  readonly tp: number;
  /**
   * Weight quantization (`HF_MODEL_QUANTIZE`).
   * @default - none: weights served in their checkpoint dtype
   */
  readonly quantize?: TgiQuantize;
  /**
   * Compute dtype (`DTYPE`); only meaningful without quantization.
   * @default - TGI picks the checkpoint's dtype
   */
  readonly dtype?: 'float16' | 'bfloat16';
  /**
   * Escape hatch: extra environment variables, applied last (they win over the typed settings).
   * @default - none
   */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

/**
 * Renders settings as container environment variables. `MAX_INPUT_LENGTH` is set beside
 * `MAX_INPUT_TOKENS` because TGI images before 2.1 only read the older name.
 */
export function tgiSettingsEnv(settings: TgiContainerSettings): Record<string, string> {
  const env: Record<string, string> = {
    SM_NUM_GPUS: String(settings.tp),
    MAX_INPUT_TOKENS: String(settings.maxInputTokens),
    MAX_INPUT_LENGTH: String(settings.maxInputTokens),
    MAX_TOTAL_TOKENS: String(settings.maxTotalTokens),
    MAX_BATCH_PREFILL_TOKENS: String(settings.maxBatchPrefillTokens),
    MAX_CONCURRENT_REQUESTS: String(settings.maxConcurrentRequests),
  };
  // Unset lets TGI size the batch token budget from free GPU memory at warm-up.
  if (settings.maxBatchTotalTokens !== undefined) env.MAX_BATCH_TOTAL_TOKENS = String(settings.maxBatchTotalTokens);
  if (settings.quantize !== undefined) env.HF_MODEL_QUANTIZE = settings.quantize;
  if (settings.dtype !== undefined) env.DTYPE = settings.dtype;
  return { ...env, ...(settings.extraEnv ?? {}) };
}
