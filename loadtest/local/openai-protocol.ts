import type { ServerResponse } from 'node:http';
import { runOnce, runStream, type Exchange, type Refusal } from './exchange';
import { validationError, type GenerationError, type GenerationRequest, type GenerationResult } from './generation';
import { asRecord, parseJson, sendJson, startSse } from './http-io';

/**
 * OpenAI-compatible POST /v1/completions as TGI serves it (Messages API of TGI ≥ 1.4):
 * `{model, prompt, max_tokens, stream}` → `text_completion` objects with `usage`; errors keep TGI's
 * `{"error", "error_type"}` body. Streams end with a chunk carrying `finish_reason` and `usage`, then `[DONE]`.
 */

interface CompletionRequest extends GenerationRequest {
  readonly stream: boolean;
}

function parseCompletionBody(body: Buffer): { ok: true; request: CompletionRequest } | { ok: false; error: GenerationError } {
  const json = asRecord(parseJson(body));
  if (json === undefined) return { ok: false, error: validationError('expected a JSON object') };
  const prompt = Array.isArray(json.prompt) && json.prompt.length === 1 ? json.prompt[0] : json.prompt;
  if (typeof prompt !== 'string') return { ok: false, error: validationError('`prompt` must be a string') };
  const maxTokens = json.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null && typeof maxTokens !== 'number') {
    return { ok: false, error: validationError('`max_tokens` must be an integer') };
  }
  return {
    ok: true,
    request: { prompt, maxNewTokens: typeof maxTokens === 'number' ? maxTokens : undefined, stream: json.stream === true },
  };
}

let completionSequence = 0;

function completionHeader(modelId: string): { id: string; object: 'text_completion'; created: number; model: string; system_fingerprint: string } {
  completionSequence += 1;
  return {
    id: `cmpl-local-${completionSequence}`,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model: modelId,
    system_fingerprint: 'llm-bench-local',
  };
}

function usage(result: GenerationResult): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: result.inputTokens, completion_tokens: result.generatedTokens, total_tokens: result.inputTokens + result.generatedTokens };
}

function sendOpenAiRefusal(response: ServerResponse, refusal: Refusal): void {
  if (refusal.kind === 'error') return sendJson(response, refusal.error.status, { error: refusal.error.message, error_type: refusal.error.errorType });
  if (refusal.kind === 'throttled') return sendJson(response, 429, { error: 'Model is overloaded', error_type: 'overloaded' });
  sendJson(response, 504, { error: 'Request timed out', error_type: 'generation' });
}

function chunk(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

export function handleOpenAiCompletions(exchange: Exchange, body: Buffer, modelId: string): void {
  const { response } = exchange;
  const parsed = parseCompletionBody(body);
  if (!parsed.ok) return sendOpenAiRefusal(response, { kind: 'error', error: parsed.error });
  if (!parsed.request.stream) {
    return runOnce(exchange, parsed.request, {
      contentType: 'application/json',
      refuse: (refusal) => sendOpenAiRefusal(response, refusal),
      render: (result) =>
        JSON.stringify({
          ...completionHeader(modelId),
          choices: [{ index: 0, text: result.generatedText, logprobs: null, finish_reason: result.finishReason }],
          usage: usage(result),
        }),
    });
  }
  const header = completionHeader(modelId);
  const choice = (text: string, finishReason: string | null) => ({ index: 0, text, logprobs: null, finish_reason: finishReason });
  runStream(exchange, parsed.request, {
    refuse: (refusal) => sendOpenAiRefusal(response, refusal),
    open: () => startSse(response),
    token: (token) => response.write(chunk({ ...header, choices: [choice(token.text, null)] })),
    finish: (last, _index, result) => {
      response.write(chunk({ ...header, choices: [choice(last.text, result.finishReason)], usage: usage(result) }));
      response.end('data: [DONE]\n\n');
    },
    failMidStream: (error) => response.end(chunk({ error: error.message, error_type: error.errorType })),
    garbage: () => response.end('data: {"id":"cmpl-local","choices":[{"text":\u0000garbage\n\n'),
  });
}
