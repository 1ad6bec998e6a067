import type { ServerResponse } from 'node:http';
import { runOnce, runStream, type Exchange, type Refusal } from './exchange';
import type { GenerationError, GenerationResult } from './generation';
import { sendJson, startSse } from './http-io';
import { parseInvocation, type BodyKind } from './invocation-body';
import { framedEmitter, type StreamEvents } from './stream-events';
import type { OutputToken } from './tokens';

/**
 * OpenAI-compatible POST /v1/completions and /v1/chat/completions, as TGI's Messages API (TGI ≥ 1.4)
 * and vLLM serve them: `{model, prompt | messages, max_tokens, stream, stream_options}` →
 * `text_completion` / `chat.completion` objects with `usage`. Streams send one chunk per token
 * (`choices[0].text`, or `choices[0].delta.content` in `chat.completion.chunk`s), the last with
 * `finish_reason`, then a usage chunk with empty `choices` when `stream_options.include_usage`
 * (huggingface/text-generation-inference router/src/chat.rs@v3.3.7, ChatState::push), then
 * `data: [DONE]` (router/src/server.rs@v3.3.7). Errors keep TGI's `{"error", "error_type"}` body.
 * The chunk payloads are shared with LMI's JSON-lines streams (lmi-protocol.ts).
 */

type OpenAiKind = Exclude<BodyKind, 'generate'>;

let sequence = 0;

interface Header {
  readonly id: string;
  readonly object: string;
  readonly created: number;
  readonly model: string;
  readonly system_fingerprint: string;
}

function header(kind: OpenAiKind, modelId: string, streamed: boolean): Header {
  sequence += 1;
  const object = kind === 'chat' ? (streamed ? 'chat.completion.chunk' : 'chat.completion') : 'text_completion';
  return { id: `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-local-${sequence}`, object, created: Math.floor(Date.now() / 1000), model: modelId, system_fingerprint: 'llm-bench-local' };
}

export function usageOf(result: GenerationResult): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: result.inputTokens, completion_tokens: result.generatedTokens, total_tokens: result.inputTokens + result.generatedTokens };
}

/** The non-streamed answer. */
export function openAiObject(kind: OpenAiKind, modelId: string, result: GenerationResult): Record<string, unknown> {
  const choice =
    kind === 'chat'
      ? { index: 0, message: { role: 'assistant', content: result.generatedText }, logprobs: null, finish_reason: result.finishReason }
      : { index: 0, text: result.generatedText, logprobs: null, finish_reason: result.finishReason };
  return { ...header(kind, modelId, false), choices: [choice], usage: usageOf(result) };
}

/**
 * Chunk payloads of a streamed answer. `usage`: 'chunk' = a usage chunk after the last token
 * (`stream_options.include_usage`), 'last' = usage on the last token's chunk, 'none'.
 */
export function openAiStreamEvents(kind: OpenAiKind, modelId: string, usage: 'chunk' | 'last' | 'none'): StreamEvents {
  const head = header(kind, modelId, true);
  const choice = (token: OutputToken, index: number, finishReason: string | null): Record<string, unknown> =>
    kind === 'chat'
      ? { index: 0, delta: index === 0 ? { role: 'assistant', content: token.text } : { content: token.text }, logprobs: null, finish_reason: finishReason }
      : { index: 0, text: token.text, logprobs: null, finish_reason: finishReason };
  return {
    token: (token, index) => JSON.stringify({ ...head, choices: [choice(token, index, null)] }),
    finish: (last, index, result) => {
      const lastChunk = { ...head, choices: [choice(last, index, result.finishReason)], ...(usage === 'last' ? { usage: usageOf(result) } : {}) };
      const payloads = [JSON.stringify(lastChunk)];
      if (usage === 'chunk') payloads.push(JSON.stringify({ ...head, choices: [], usage: usageOf(result) }));
      return payloads;
    },
    failure: (error) => JSON.stringify({ error: error.message, error_type: error.errorType }),
    garbage: `{"id":"${head.id}","choices":[{"text":\u0000garbage`,
    done: '[DONE]',
  };
}

function sendOpenAiRefusal(response: ServerResponse, refusal: Refusal): void {
  if (refusal.kind === 'error') return sendJson(response, refusal.error.status, openAiErrorBody(refusal.error));
  if (refusal.kind === 'throttled') return sendJson(response, 429, { error: 'Model is overloaded', error_type: 'overloaded' });
  sendJson(response, 504, { error: 'Request timed out', error_type: 'generation' });
}

function openAiErrorBody(error: GenerationError): { error: string; error_type: string } {
  return { error: error.message, error_type: error.errorType };
}

/** Serves `/v1/completions` (kind 'completions') or `/v1/chat/completions` (kind 'chat') over plain HTTP. */
export function handleOpenAi(exchange: Exchange, body: Buffer, kind: OpenAiKind, modelId: string): void {
  const { response } = exchange;
  const parsed = parseInvocation(body, { kind });
  if (!parsed.ok) return sendOpenAiRefusal(response, { kind: 'error', error: parsed.error });
  const { request, stream, includeUsage } = parsed.invocation;
  if (!stream) {
    return runOnce(exchange, request, {
      contentType: 'application/json',
      refuse: (refusal) => sendOpenAiRefusal(response, refusal),
      render: (result) => JSON.stringify(openAiObject(kind, modelId, result)),
    });
  }
  // Without include_usage, completions still carry usage on their last chunk here (as earlier TGI releases did).
  const usage = includeUsage ? 'chunk' : kind === 'completions' ? 'last' : 'none';
  runStream(
    exchange,
    request,
    framedEmitter(openAiStreamEvents(kind, modelId, usage), 'sse', {
      refuse: (refusal) => sendOpenAiRefusal(response, refusal),
      open: () => startSse(response),
      write: (bytes) => response.write(bytes),
      end: (bytes) => response.end(bytes),
    }),
  );
}

export function handleOpenAiCompletions(exchange: Exchange, body: Buffer, modelId: string): void {
  handleOpenAi(exchange, body, 'completions', modelId);
}
