import type { TgiSettings } from '../../lib/catalog/types';
import type { RealTimeDriver } from './real-time-driver';
import { countPromptTokens, outputText, outputToken, type OutputToken } from './tokens';

/**
 * One generation on the local endpoint, independent of the wire protocol: TGI's input validation,
 * then the engine in real time, reported to a sink that the protocol module turns into bytes.
 */

/** A failure as TGI reports it; protocol modules map it to their own shapes. */
export interface GenerationError {
  /** HTTP status TGI answers with. */
  readonly status: number;
  /** TGI `error_type`. */
  readonly errorType: 'validation' | 'overloaded' | 'generation';
  /** TGI `error` text. */
  readonly message: string;
}

export interface GenerationResult {
  readonly inputTokens: number;
  readonly generatedTokens: number;
  readonly generatedText: string;
  readonly finishReason: 'length';
}

export interface GenerationSink {
  /** After validation, before the engine sees the request. */
  onAccepted?(inputTokens: number, maxNewTokens: number): void;
  onToken(token: OutputToken, index: number): void;
  onDone(result: GenerationResult): void;
  onError(error: GenerationError): void;
}

export interface GenerationRequest {
  readonly prompt: string;
  /** `max_new_tokens`; TGI's default when absent. */
  readonly maxNewTokens?: number;
}

export interface RunningGeneration {
  /** Client gone or response cut: frees the engine's slot. Safe to call after the end. */
  cancel(): void;
}

/** TGI ≥ 2: without `max_new_tokens` it generates up to the total budget, at most 1,024 tokens. */
const DEFAULT_GENERATION_LENGTH = 1024;

export const OVERLOADED: GenerationError = { status: 429, errorType: 'overloaded', message: 'Model is overloaded' };

/**
 * Checks a request the way TGI's router does (messages as in
 * https://github.com/huggingface/text-generation-inference/blob/main/router/src/validation.rs,
 * prefixed "Input validation error: " like TGI's InferError). The input limit is checked before the
 * total so an over-long prompt is named as such.
 */
export function validateGeneration(
  request: GenerationRequest,
  tgi: TgiSettings,
): { ok: true; inputTokens: number; maxNewTokens: number } | { ok: false; error: GenerationError } {
  const invalid = (message: string) => ({ ok: false as const, error: validationError(message) });
  if (request.maxNewTokens !== undefined && (!Number.isInteger(request.maxNewTokens) || request.maxNewTokens < 0)) {
    return invalid(`\`max_new_tokens\` must be a non-negative integer. Given: ${request.maxNewTokens}`);
  }
  if (request.maxNewTokens === 0) return invalid('`max_new_tokens` must be strictly positive');
  if (request.prompt === '') return invalid('`inputs` cannot be empty');
  const inputTokens = countPromptTokens(request.prompt);
  if (inputTokens > tgi.maxInputTokens) {
    return invalid(`\`inputs\` must have less than ${tgi.maxInputTokens} tokens. Given: ${inputTokens}`);
  }
  const maxNewTokens = request.maxNewTokens ?? Math.max(1, Math.min(DEFAULT_GENERATION_LENGTH, tgi.maxTotalTokens - inputTokens));
  if (inputTokens + maxNewTokens > tgi.maxTotalTokens) {
    return invalid(
      `\`inputs\` tokens + \`max_new_tokens\` must be <= ${tgi.maxTotalTokens}. Given: ${inputTokens} \`inputs\` tokens and ${maxNewTokens} \`max_new_tokens\``,
    );
  }
  return { ok: true, inputTokens, maxNewTokens };
}

export function validationError(message: string): GenerationError {
  return { status: 422, errorType: 'validation', message: `Input validation error: ${message}` };
}

/** TGI's answer to a failure inside the model server. */
export function generationFailure(detail: string): GenerationError {
  return { status: 500, errorType: 'generation', message: `Request failed during generation: Server error: ${detail}` };
}

/** Validates, submits to the engine and streams the outcome to `sink`. */
export function runGeneration(
  request: GenerationRequest,
  context: { readonly driver: RealTimeDriver; readonly tgi: TgiSettings; readonly component?: string },
  sink: GenerationSink,
): RunningGeneration {
  const checked = validateGeneration(request, context.tgi);
  if (!checked.ok) {
    sink.onError(checked.error);
    return { cancel: () => undefined };
  }
  const { inputTokens, maxNewTokens } = checked;
  sink.onAccepted?.(inputTokens, maxNewTokens);
  let finished = false;
  const id = context.driver.submit(
    { inputTokens, maxNewTokens, component: context.component },
    {
      onToken: (index) => {
        if (!finished) sink.onToken(outputToken(index), index);
      },
      onDone: (generatedTokens, engineInputTokens) => {
        if (finished) return;
        finished = true;
        sink.onDone({
          inputTokens: engineInputTokens,
          generatedTokens,
          generatedText: outputText(generatedTokens),
          finishReason: 'length',
        });
      },
      onRejected: (reason, message) => {
        if (finished) return;
        finished = true;
        sink.onError(reason === 'overloaded' ? OVERLOADED : validationError(message));
      },
    },
  );
  return {
    cancel(): void {
      if (finished) return;
      finished = true;
      context.driver.cancel(id);
    },
  };
}
