import type { GenerationError, GenerationResult } from './generation';
import { openAiStreamEvents } from './openai-protocol';
import type { StreamEvents } from './stream-events';

/**
 * LMI's (djl-inference, vLLM backend) answers on /invocations, from deepjavalibrary/djl-serving
 * engines/python/setup/djl_python/lmi_vllm/request_response_utils.py@v0.36.0 (LMI v27):
 * - a TGI-style body (`inputs`) becomes a vLLM completion; the non-streamed answer is the bare object
 *   `{"generated_text", "details": {"finish_reason", "generated_tokens", "seed", "prefill", "tokens"}}`
 *   (`convert_completion_response_to_lmi_schema`); streamed, each line is
 *   `{"index", "token": {"id", "text", "logprob"}, "generated_text": null, "details": null}`, the last
 *   with `generated_text` and `details` {`finish_reason`, `seed`, `generated_tokens`, `input_length`}
 *   (`convert_completion_chunk_response_to_lmi_schema`);
 * - `prompt` and `messages` bodies are vLLM's completions and chat completions, answered with vLLM's
 *   objects; streamed, vLLM's SSE chunks lose their `data: ` prefix and `[DONE]` becomes an empty
 *   line (`vllm_stream_output_formatter`).
 * Streams are `application/jsonlines` (djl_python/async_utils.py@v0.36.0, `create_stream_chunk_output`).
 * Errors inside a stream are vLLM's error object, relayed as a line.
 */

export const LMI_STREAM_CONTENT_TYPE = 'application/jsonlines';

const LOGPROB = -0.25;

/** vLLM's error chunk: `{"error": {"object": "error", "message", "type", "code"}}`. */
function vllmErrorPayload(error: GenerationError): string {
  const type = error.errorType === 'validation' ? 'BadRequestError' : error.errorType === 'overloaded' ? 'ServiceUnavailableError' : 'InternalServerError';
  return JSON.stringify({ error: { object: 'error', message: error.message, type, param: null, code: error.status } });
}

/** The non-streamed answer to a TGI-style body. */
export function lmiGenerateObject(result: GenerationResult, details: boolean): Record<string, unknown> {
  if (!details) return { generated_text: result.generatedText };
  return {
    generated_text: result.generatedText,
    details: { finish_reason: result.finishReason, generated_tokens: result.generatedTokens, seed: null, prefill: [], tokens: [] },
  };
}

/** JSON lines of a streamed TGI-style body. */
export function lmiGenerateEvents(details: boolean): StreamEvents {
  // `index` is the choice's index (always 0), not the token's position.
  const line = (id: number, text: string, extra: Record<string, unknown>): string =>
    JSON.stringify({ index: 0, token: { id, text, logprob: LOGPROB }, generated_text: null, details: null, ...extra });
  return {
    token: (token) => line(token.id, token.text, {}),
    finish: (last, _index, result) => [
      line(last.id, last.text, {
        generated_text: result.generatedText,
        details: details
          ? { finish_reason: result.finishReason, seed: null, generated_tokens: result.generatedTokens, input_length: result.inputTokens }
          : null,
      }),
    ],
    failure: vllmErrorPayload,
    garbage: '{"index":0,"token":{"id":278,"text":" the",\u0000garbage',
  };
}

/** JSON lines of a streamed `prompt` or `messages` body: vLLM's chunks, its error object on failure. */
export function lmiOpenAiEvents(kind: 'completions' | 'chat', modelId: string, includeUsage: boolean): StreamEvents {
  return { ...openAiStreamEvents(kind, modelId, includeUsage ? 'chunk' : 'none'), failure: vllmErrorPayload };
}
