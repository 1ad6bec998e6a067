import type { TgiSettings } from '../catalog/types';
import { tgiEnv } from '../planner/deployment-shape';

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
   * The endpoints check the result against TGI's start rules (e.g. `MAX_INPUT_LENGTH` is refused:
   * the container already sets `MAX_INPUT_TOKENS`).
   * @default - none
   */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

/**
 * Renders settings as container environment variables. The input limit is set as
 * `MAX_INPUT_TOKENS` only: TGI's launcher exits when `MAX_INPUT_LENGTH` is set beside it
 * (launcher/src/main.rs v2.0.0 line 1323, v2.3.1 line 1656, v3.3.7 line 2104).
 */
export function tgiSettingsEnv(settings: TgiContainerSettings): Record<string, string> {
  const env: Record<string, string> = tgiEnv(settings);
  if (settings.quantize !== undefined) env.HF_MODEL_QUANTIZE = settings.quantize;
  if (settings.dtype !== undefined) env.DTYPE = settings.dtype;
  return { ...env, ...(settings.extraEnv ?? {}) };
}
