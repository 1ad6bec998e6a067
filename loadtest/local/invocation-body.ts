import type { RequestApi, ServingContainer } from '../../lib/results/records';
import { CHAT_ROLES, chatProblem, renderChatPrompt, type ChatMessage } from '../payload/chat-template';
import { validationError, type GenerationError, type GenerationRequest } from './generation';
import { asRecord, parseJson } from './http-io';

/**
 * The three request bodies the local endpoint reads, whatever the route:
 * - `generate`: TGI's `{"inputs", "parameters": {"max_new_tokens", "details"}, "stream"?}`;
 * - `completions`: `{"prompt", "max_tokens", "stream", "stream_options"}`;
 * - `chat`: `{"messages", "max_tokens", "stream", "stream_options"}`, generated from the Llama 2 chat
 *   template's rendering (the prompt the engine is charged for is the templated one).
 * Which one a SageMaker /invocations body is depends on the container: LMI routes by key, `prompt`
 * first, then `inputs`, then `messages` (deepjavalibrary/djl-serving
 * engines/python/setup/djl_python/lmi_vllm/vllm_async_service.py@v0.36.0, `preprocess_request`);
 * TGI ≥ 2.4.0 tries Generate (`inputs`), Chat (`messages`), then Completion (`prompt`) as an untagged
 * enum (huggingface/text-generation-inference router/src/sagemaker.rs@v2.4.0, `SagemakerRequest`).
 */
export type BodyKind = RequestApi;

export interface Invocation {
  readonly kind: BodyKind;
  readonly request: GenerationRequest;
  /** The body asked for a stream (`"stream": true`). */
  readonly stream: boolean;
  /** TGI `parameters.details`. */
  readonly details: boolean;
  /** OpenAI `stream_options.include_usage`. */
  readonly includeUsage: boolean;
}

export type ParsedInvocation = { readonly ok: true; readonly invocation: Invocation } | { readonly ok: false; readonly error: GenerationError };

/**
 * LMI's default when a TGI-style body has no `max_new_tokens`: `parameters.pop("max_new_tokens", 30)`
 * (djl-serving engines/python/setup/djl_python/lmi_vllm/request_response_utils.py@v0.36.0,
 * `convert_lmi_schema_to_completion_request`).
 */
export const LMI_DEFAULT_MAX_NEW_TOKENS = 30;

const KEY_ORDER: Readonly<Record<ServingContainer, readonly [string, BodyKind][]>> = {
  lmi: [
    ['prompt', 'completions'],
    ['inputs', 'generate'],
    ['messages', 'chat'],
  ],
  tgi: [
    ['inputs', 'generate'],
    ['messages', 'chat'],
    ['prompt', 'completions'],
  ],
};

function deserializeError(detail: string): GenerationError {
  return { ...validationError(detail), message: `Failed to deserialize the JSON body into the target type: ${detail}` };
}

/** The kind of an /invocations body for a container, or undefined when it has none of the keys. */
export function invocationKind(json: Readonly<Record<string, unknown>>, container: ServingContainer): BodyKind | undefined {
  return KEY_ORDER[container].find(([key]) => json[key] !== undefined)?.[1];
}

function maxTokensOf(value: unknown, field: string): number | undefined | GenerationError {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') return deserializeError(`\`${field}\` must be an integer`);
  return value;
}

function messagesOf(value: unknown): ChatMessage[] | GenerationError {
  if (!Array.isArray(value)) return deserializeError('`messages` must be a list');
  const messages: ChatMessage[] = [];
  for (const item of value) {
    const message = asRecord(item);
    const role = message?.role;
    if (typeof role !== 'string' || !(CHAT_ROLES as readonly string[]).includes(role) || typeof message?.content !== 'string') {
      return deserializeError(`each message needs a role (${CHAT_ROLES.join(', ')}) and a string content`);
    }
    messages.push({ role: role as ChatMessage['role'], content: message.content });
  }
  const problem = chatProblem(messages);
  return problem === undefined ? messages : validationError(`Template error: messages ${problem}`);
}

/**
 * Parses a body of `kind`, or, with a container, of the kind its keys route to.
 * `container` 'lmi' also applies LMI's 30-token default to TGI-style bodies.
 */
export function parseInvocation(body: Buffer, route: { readonly kind: BodyKind } | { readonly container: ServingContainer }): ParsedInvocation {
  const json = asRecord(parseJson(body));
  if (json === undefined) return { ok: false, error: deserializeError('expected a JSON object') };
  const kind = 'kind' in route ? route.kind : invocationKind(json, route.container);
  if (kind === undefined) return { ok: false, error: deserializeError('invalid payload: must contain prompt, inputs, or messages') };
  const stream = json.stream === true;
  const includeUsage = asRecord(json.stream_options)?.include_usage === true;
  if (kind === 'generate') {
    if (typeof json.inputs !== 'string') return { ok: false, error: deserializeError('missing field `inputs` (a string)') };
    const parameters = asRecord(json.parameters) ?? {};
    const maxNewTokens = maxTokensOf(parameters.max_new_tokens, 'parameters.max_new_tokens');
    if (typeof maxNewTokens === 'object') return { ok: false, error: maxNewTokens };
    const lmiDefault = 'container' in route && route.container === 'lmi' ? LMI_DEFAULT_MAX_NEW_TOKENS : undefined;
    return {
      ok: true,
      invocation: { kind, request: { prompt: json.inputs, maxNewTokens: maxNewTokens ?? lmiDefault }, stream, details: parameters.details === true, includeUsage },
    };
  }
  const maxTokens = maxTokensOf(json.max_tokens ?? json.max_completion_tokens, 'max_tokens');
  if (typeof maxTokens === 'object') return { ok: false, error: maxTokens };
  if (kind === 'completions') {
    const prompt = Array.isArray(json.prompt) && json.prompt.length === 1 ? (json.prompt[0] as unknown) : json.prompt;
    if (typeof prompt !== 'string') return { ok: false, error: validationError('`prompt` must be a string') };
    return { ok: true, invocation: { kind, request: { prompt, maxNewTokens: maxTokens }, stream, details: false, includeUsage } };
  }
  const messages = messagesOf(json.messages);
  if (!Array.isArray(messages)) return { ok: false, error: messages as GenerationError };
  return { ok: true, invocation: { kind, request: { prompt: renderChatPrompt(messages), maxNewTokens: maxTokens }, stream, details: false, includeUsage } };
}
