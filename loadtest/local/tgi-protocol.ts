import type { ServerResponse } from 'node:http';
import { runOnce, runStream, type Exchange, type Refusal } from './exchange';
import { validationError, type GenerationError, type GenerationRequest, type GenerationResult } from './generation';
import { asRecord, parseJson, sendJson, sseEvent, startSse } from './http-io';
import type { StreamEvents } from './stream-events';
import type { OutputToken } from './tokens';

/**
 * Hugging Face TGI's HTTP API: POST /generate (one JSON object) and POST /generate_stream
 * (server-sent events, one per token, the last carrying `generated_text` and `details`).
 * Shapes: https://huggingface.github.io/text-generation-inference/ (OpenAPI of the router).
 */

export interface TgiRequest extends GenerationRequest {
  readonly details: boolean;
}

/** Parses `{inputs, parameters: {max_new_tokens, details}}`. */
export function parseTgiBody(body: Buffer): { ok: true; request: TgiRequest } | { ok: false; error: GenerationError } {
  const json = asRecord(parseJson(body));
  if (json === undefined) return { ok: false, error: deserializeError('expected a JSON object') };
  if (typeof json.inputs !== 'string') return { ok: false, error: deserializeError('missing field `inputs` (a string)') };
  const parameters = asRecord(json.parameters) ?? {};
  const maxNewTokens = parameters.max_new_tokens;
  if (maxNewTokens !== undefined && maxNewTokens !== null && typeof maxNewTokens !== 'number') {
    return { ok: false, error: deserializeError('`parameters.max_new_tokens` must be an integer') };
  }
  return {
    ok: true,
    request: {
      prompt: json.inputs,
      maxNewTokens: typeof maxNewTokens === 'number' ? maxNewTokens : undefined,
      details: parameters.details === true,
    },
  };
}

function deserializeError(detail: string): GenerationError {
  return { ...validationError(detail), message: `Failed to deserialize the JSON body into the target type: ${detail}` };
}

/** TGI's error body: `{"error": "...", "error_type": "overloaded"}`. */
export function tgiErrorBody(error: GenerationError): { error: string; error_type: string } {
  return { error: error.message, error_type: error.errorType };
}

/** The /generate answer (JumpStart's SageMaker answer is a list of these). */
export function tgiGenerateObject(result: GenerationResult, details: boolean): Record<string, unknown> {
  if (!details) return { generated_text: result.generatedText };
  return {
    generated_text: result.generatedText,
    details: { finish_reason: result.finishReason, generated_tokens: result.generatedTokens, seed: null },
  };
}

/** Headers TGI sets on a finished generation. */
export function tgiHeaders(result: GenerationResult): Record<string, string> {
  return {
    'x-compute-type': 'local-twin',
    'x-prompt-tokens': String(result.inputTokens),
    'x-generated-tokens': String(result.generatedTokens),
  };
}

const LOGPROB = -0.25;

export function tgiTokenEvent(token: OutputToken, index: number): string {
  return sseEvent({
    index: index + 1,
    token: { id: token.id, text: token.text, logprob: LOGPROB, special: false },
    generated_text: null,
    details: null,
  });
}

export function tgiFinalEvent(token: OutputToken, index: number, result: GenerationResult): string {
  return sseEvent({
    index: index + 1,
    token: { id: token.id, text: token.text, logprob: LOGPROB, special: false },
    generated_text: result.generatedText,
    // StreamDetails carries input_length (router/src/lib.rs@v2.3.1 and @v3.3.7).
    details: { finish_reason: result.finishReason, generated_tokens: result.generatedTokens, seed: null, input_length: result.inputTokens },
  });
}

/** TGI's token events as payloads, for framing elsewhere (SageMaker PayloadParts). */
export function tgiStreamEvents(): StreamEvents {
  const event = (token: OutputToken, index: number, result: GenerationResult | undefined): string =>
    JSON.stringify({
      index: index + 1,
      token: { id: token.id, text: token.text, logprob: LOGPROB, special: false },
      generated_text: result?.generatedText ?? null,
      details:
        result === undefined ? null : { finish_reason: result.finishReason, generated_tokens: result.generatedTokens, seed: null, input_length: result.inputTokens },
    });
  return {
    token: (token, index) => event(token, index, undefined),
    finish: (last, index, result) => [event(last, index, result)],
    failure: (error) => JSON.stringify(tgiErrorBody(error)),
    garbage: '{"token":{"id":278,"text":" the",\u0000garbage',
  };
}

/** A stream event whose data is not valid JSON. */
export const TGI_GARBAGE_EVENT = 'data:{"token":{"id":278,"text":" the",\u0000garbage\n\n';

/** TGI answers both overload and throttling with 429 "Model is overloaded". */
function sendTgiRefusal(response: ServerResponse, refusal: Refusal): void {
  if (refusal.kind === 'error') return sendJson(response, refusal.error.status, tgiErrorBody(refusal.error));
  if (refusal.kind === 'throttled') return sendJson(response, 429, { error: 'Model is overloaded', error_type: 'overloaded' });
  sendJson(response, 504, { error: 'Request timed out', error_type: 'generation' });
}

export function handleTgiGenerate(exchange: Exchange, body: Buffer): void {
  const parsed = parseTgiBody(body);
  if (!parsed.ok) return sendTgiRefusal(exchange.response, { kind: 'error', error: parsed.error });
  const { details } = parsed.request;
  runOnce(exchange, parsed.request, {
    contentType: 'application/json',
    refuse: (refusal) => sendTgiRefusal(exchange.response, refusal),
    render: (result) => JSON.stringify(tgiGenerateObject(result, details)),
    headers: tgiHeaders,
  });
}

export function handleTgiGenerateStream(exchange: Exchange, body: Buffer): void {
  const { response } = exchange;
  const parsed = parseTgiBody(body);
  if (!parsed.ok) return sendTgiRefusal(response, { kind: 'error', error: parsed.error });
  runStream(exchange, parsed.request, {
    refuse: (refusal) => sendTgiRefusal(response, refusal),
    open: () => startSse(response),
    token: (token, index) => response.write(tgiTokenEvent(token, index)),
    finish: (last, index, result) => response.end(tgiFinalEvent(last, index, result)),
    // TGI reports a failure after the stream began as one error event.
    failMidStream: (error) => response.end(sseEvent(tgiErrorBody(error))),
    garbage: () => response.end(TGI_GARBAGE_EVENT),
  });
}
