import { countTokens, specialTokenMarkers } from './tokenizer';

/** One message of an OpenAI chat-completions body. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export const CHAT_ROLES: readonly ChatMessage['role'][] = ['system', 'user', 'assistant'];

/**
 * The chat template this load generator assumes when it counts a chat request's input tokens:
 * Llama 2 chat's, the one the shipped (Llama 2 SentencePiece) tokenizer belongs to: the `chat_template`
 * of meta-llama/Llama-2-7b-chat-hf's tokenizer_config.json, as TGI's own test renders it
 * (huggingface/text-generation-inference router/src/infer/chat_template.rs@v3.3.7, test item "llama"):
 *   - an optional first `system` message goes inside the first user turn as
 *     `<<SYS>>\n{system}\n<</SYS>>\n\n{user}`;
 *   - each user turn renders `<s>[INST] {content.strip()} [/INST]`, each assistant turn
 *     ` {content.strip()} </s>`; roles must alternate user/assistant (the template raises otherwise).
 * The server applies it and tokenizes the result without adding special tokens of its own: TGI
 * builds the chat's generate request with `add_special_tokens: false`
 * (huggingface/text-generation-inference router/src/lib.rs@v3.3.7, ChatRequest::try_into_generate),
 * vLLM's chat request defaults `add_special_tokens` to false "for most models, the chat template takes
 * care of adding the special tokens" (vllm-project/vllm vllm/entrypoints/openai/protocol.py,
 * ChatCompletionRequest.add_special_tokens). So the input tokens
 * are BOS + the tokens of `[INST] … [/INST]`, which is what `countTokens` counts for one turn.
 *
 * Other families (Llama 3's `<|start_header_id|>` template, Mistral's `[INST]` without `<<SYS>>`)
 * tokenize differently; for them the counts are the Llama 2 tokenizer's approximation and the
 * server's own count (`usage.prompt_tokens`) is kept on each record as `serverInputTokens`.
 */
export const CHAT_TEMPLATE = 'llama-2';

const BOS_MARKER = specialTokenMarkers.bos;
const EOS_MARKER = specialTokenMarkers.eos;

/** The `[INST]` frame of one user turn (without its leading `<s>`, which the tokenizer counts as BOS). */
export function userTurn(content: string): string {
  return `[INST] ${content.trim()} [/INST]`;
}

/** Checks a conversation against the template's rules; returns what is wrong, or undefined. */
export function chatProblem(messages: readonly ChatMessage[]): string | undefined {
  if (messages.length === 0) return 'has no messages';
  const turns = messages[0]?.role === 'system' ? messages.slice(1) : messages;
  for (let i = 0; i < turns.length; i += 1) {
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (turns[i]?.role !== expected) return `message ${i + (turns === messages ? 0 : 1)} is '${turns[i]?.role}', expected '${expected}' (roles alternate user/assistant after an optional system message)`;
  }
  if (turns.length === 0 || turns[turns.length - 1]?.role !== 'user') return 'must end with a user message';
  return undefined;
}

/**
 * The text the server generates from: the rendered template without its first `<s>` (the BOS a
 * completions or generate request gets from the server's tokenizer). Later turns keep literal `<s>`
 * and `</s>`, which Hugging Face tokenizers read as the special tokens.
 */
export function renderChatPrompt(messages: readonly ChatMessage[]): string {
  const system = messages[0]?.role === 'system' ? messages[0].content : undefined;
  const turns = system !== undefined ? messages.slice(1) : messages;
  let text = '';
  turns.forEach((message, i) => {
    const content = i === 0 && system !== undefined ? `<<SYS>>\n${system}\n<</SYS>>\n\n${message.content}` : message.content;
    if (message.role === 'user') text += (i === 0 ? '' : BOS_MARKER) + userTurn(content);
    else text += ` ${content.trim()} ${EOS_MARKER}`;
  });
  return text;
}

/** Input tokens of a chat request after the template (BOS and every `<s>`/`</s>` included). */
export function chatPromptTokens(messages: readonly ChatMessage[]): number {
  return countTokens(renderChatPrompt(messages));
}
