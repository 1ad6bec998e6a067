import type { ChatMessage } from '../payload/chat-template';
import type { RequestApi } from './api';
import type { GenerationRequest } from './types';

/**
 * Request bodies per API. What each server does with them:
 *
 * - TGI-style `{"inputs", "parameters": {"max_new_tokens", "details"}}` (TGI `/generate`; SageMaker
 *   `/invocations` of a TGI or LMI container). SageMaker passes the body to the container unchanged,
 *   so a streamed invocation must say `"stream": true`: TGI's `compat_generate` switches on it
 *   (huggingface/text-generation-inference router/src/server.rs@v3.3.7), and so does LMI
 *   (deepjavalibrary/djl-serving engines/python/setup/djl_python/lmi_vllm/request_response_utils.py@v0.36.0,
 *   `convert_lmi_schema_to_completion_request`: `"stream": payload.pop("stream", False)`).
 *   LMI maps `max_new_tokens` to vLLM's `max_tokens` with a default of **30** when absent, and
 *   `parameters.ignore_eos_token` to vLLM's `ignore_eos` (same function); we always send `max_new_tokens`.
 * - OpenAI completions `{"prompt", "max_tokens", "stream"}` and chat `{"messages", "max_tokens", "stream"}`;
 *   streamed with `stream_options.include_usage` so the last chunk carries `usage` (TGI:
 *   router/src/chat.rs@v3.3.7 ChatState::push; vLLM the same).
 *
 * Exact output length: vLLM (and LMI in front of it) honours `ignore_eos`, so `max_tokens` tokens are
 * generated. TGI cannot be made to: its validation hard-codes `ignore_eos_token: false`
 * (router/src/validation.rs@v3.3.7, ValidStoppingParameters), so a TGI server may stop early on EOS and
 * the record keeps the tokens it actually produced (`shortOutput`). TGI ignores the unknown field.
 */

export interface BodyOptions {
  readonly stream: boolean;
  /** Ask for exactly `max_tokens` tokens (vLLM `ignore_eos`, LMI `ignore_eos_token`). */
  readonly exactLength: boolean;
  /** `model` of OpenAI bodies; omitted when undefined (SageMaker containers fill in their own). */
  readonly model?: string;
  /** Add `"stream": true` to TGI-style bodies (SageMaker /invocations). TGI's /generate_stream needs no flag. */
  readonly streamFlagInGenerate?: boolean;
}

/** TGI's generate body (and the TGI-style body of a SageMaker TGI or LMI container). */
export function generateBody(prompt: string, maxNewTokens: number, options: Pick<BodyOptions, 'exactLength'> & { readonly stream?: boolean } = { exactLength: false }): string {
  return JSON.stringify({
    inputs: prompt,
    parameters: { max_new_tokens: maxNewTokens, details: true, decoder_input_details: false, ...(options.exactLength ? { ignore_eos_token: true } : {}) },
    ...(options.stream === true ? { stream: true } : {}),
  });
}

function openAiTail(maxTokens: number, options: BodyOptions): Record<string, unknown> {
  return {
    max_tokens: maxTokens,
    ...(options.exactLength ? { ignore_eos: true } : {}),
    ...(options.stream ? { stream: true, stream_options: { include_usage: true } } : { stream: false }),
  };
}

export function completionsBody(prompt: string, maxTokens: number, options: BodyOptions): string {
  return JSON.stringify({ ...(options.model !== undefined ? { model: options.model } : {}), prompt, ...openAiTail(maxTokens, options) });
}

export function chatBody(messages: readonly ChatMessage[], maxTokens: number, options: BodyOptions): string {
  return JSON.stringify({ ...(options.model !== undefined ? { model: options.model } : {}), messages, ...openAiTail(maxTokens, options) });
}

/** The messages a chat request sends: the payload's, or its prompt as one user message. */
export function messagesOf(request: Pick<GenerationRequest, 'prompt' | 'messages'>): readonly ChatMessage[] {
  return request.messages ?? [{ role: 'user', content: request.prompt }];
}

/** The body of `request` for `api`. */
export function requestBody(api: RequestApi, request: Pick<GenerationRequest, 'prompt' | 'messages' | 'maxNewTokens'>, options: BodyOptions): string {
  switch (api) {
    case 'generate':
      return generateBody(request.prompt, request.maxNewTokens, { exactLength: options.exactLength, stream: options.streamFlagInGenerate === true && options.stream });
    case 'completions':
      return completionsBody(request.prompt, request.maxNewTokens, options);
    case 'chat':
      return chatBody(messagesOf(request), request.maxNewTokens, options);
  }
}

/**
 * Reuses the last body while the request's content repeats (a fixed payload sends the same prompt
 * every time): a Buffer, built once.
 */
export class BodyCache {
  private lastPrompt: string | undefined;
  private lastMessages: readonly ChatMessage[] | undefined;
  private lastMaxNewTokens = -1;
  private lastBody = Buffer.alloc(0);

  constructor(private readonly build: (request: GenerationRequest) => string) {}

  get(request: GenerationRequest): Buffer {
    if (request.prompt !== this.lastPrompt || request.messages !== this.lastMessages || request.maxNewTokens !== this.lastMaxNewTokens) {
      this.lastBody = Buffer.from(this.build(request));
      this.lastPrompt = request.prompt;
      this.lastMessages = request.messages;
      this.lastMaxNewTokens = request.maxNewTokens;
    }
    return this.lastBody;
  }
}
