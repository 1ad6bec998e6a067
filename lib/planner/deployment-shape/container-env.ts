/**
 * Typed TGI settings ↔ the container environment of the Hugging Face LLM DLC (TGI).
 * Variable names: https://huggingface.co/docs/text-generation-inference/reference/launcher ;
 * `SM_NUM_GPUS` becomes `NUM_SHARD` in the image's entrypoint
 * (text-generation-inference v2.3.1 sagemaker-entrypoint.sh).
 */
import type { TgiSettings } from '../../catalog/types';
import { TGI_ENV_NAMES } from './field-names';

/** TGI's legacy name of MAX_INPUT_TOKENS; the launcher exits when both are set. */
export const LEGACY_INPUT_NAME = 'MAX_INPUT_LENGTH';

/**
 * The TGI variables of typed settings. Only MAX_INPUT_TOKENS names the input limit: with
 * MAX_INPUT_LENGTH beside it the launcher exits (`tgiOneInputName`).
 */
export function tgiEnv(settings: TgiSettings & { readonly tp: number }): Record<string, string> {
  const env: Record<string, string> = {
    [TGI_ENV_NAMES.tp]: String(settings.tp),
    [TGI_ENV_NAMES.maxInputTokens]: String(settings.maxInputTokens),
    [TGI_ENV_NAMES.maxTotalTokens]: String(settings.maxTotalTokens),
    [TGI_ENV_NAMES.maxBatchPrefillTokens]: String(settings.maxBatchPrefillTokens),
    [TGI_ENV_NAMES.maxConcurrentRequests]: String(settings.maxConcurrentRequests),
  };
  // Unset lets TGI size the batch token budget from free GPU memory at warm-up.
  if (settings.maxBatchTotalTokens !== undefined) env[TGI_ENV_NAMES.maxBatchTotalTokens] = String(settings.maxBatchTotalTokens);
  return env;
}
