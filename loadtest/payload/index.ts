import { UserInputError } from '../../lib/errors';
import type { PayloadDescription, RequestApi } from '../../lib/results/records';
import { CHAT_TEMPLATE, chatPromptTokens, renderChatPrompt, userTurn, type ChatMessage } from './chat-template';
import { loadDataset, type DatasetRow } from './dataset';
import { createPrng } from './prng';
import { buildPrompt } from './prompt-builder';
import { countTokens } from './tokenizer';

export { countTokens } from './tokenizer';
export { buildPrompt } from './prompt-builder';
export { CHAT_TEMPLATE, chatPromptTokens, renderChatPrompt, type ChatMessage } from './chat-template';

/** One prompt to send. The object is reused between calls for a fixed payload: treat it as read-only. */
export interface Payload {
  /** The text a generate or completions request sends (for a conversation: the rendered chat template). */
  readonly prompt: string;
  /** Exact input tokens the server sees (after the chat template for chat requests). */
  readonly inputTokens: number;
  readonly maxNewTokens: number;
  /** What a chat request sends; set when the API is `chat`. */
  readonly messages?: readonly ChatMessage[];
}

export interface PayloadSource {
  next(): Payload;
  describe(): PayloadDescription;
}

export interface PayloadOptions {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly seed?: number;
  /** JSONL file of {"prompt": ...} or {"messages": [...]}; rows are sent in a seeded shuffled cycle. */
  readonly datasetPath?: string;
  /** The API the prompts are for: `chat` sends messages, counted after the chat template. @default 'generate' */
  readonly api?: RequestApi;
}

const DEFAULT_SEED = 42;
const promptCache = new Map<string, string>();

function cachedPrompt(tokens: number, seed: number, chat: boolean): string {
  const key = `${tokens}/${seed}/${chat ? CHAT_TEMPLATE : 'plain'}`;
  let prompt = promptCache.get(key);
  if (prompt === undefined) {
    prompt = chat ? buildPrompt(tokens, seed, 'inputTokens', userTurn) : buildPrompt(tokens, seed);
    promptCache.set(key, prompt);
  }
  return prompt;
}

/** A dataset row as the API sends it: chat sends messages (a prompt becomes one user message), others send text. */
function payloadOfRow(row: DatasetRow, chat: boolean, maxNewTokens: number): Payload {
  if (chat) {
    const messages: readonly ChatMessage[] = row.messages ?? [{ role: 'user', content: row.prompt }];
    return { prompt: renderChatPrompt(messages), inputTokens: chatPromptTokens(messages), maxNewTokens, messages };
  }
  const prompt = row.prompt ?? renderChatPrompt(row.messages);
  return { prompt, inputTokens: countTokens(prompt), maxNewTokens };
}

/** Prompts with exact input token counts (the chat template's included for chat) and a fixed `max_new_tokens`. */
export function createPayloadSource(opts: PayloadOptions): PayloadSource {
  if (!Number.isInteger(opts.outputTokens) || opts.outputTokens < 1) {
    throw new UserInputError('outputTokens', `${opts.outputTokens} must be an integer ≥ 1`);
  }
  const seed = opts.seed ?? DEFAULT_SEED;
  const chat = opts.api === 'chat';
  if (opts.datasetPath === undefined) {
    const text = cachedPrompt(opts.inputTokens, seed, chat);
    const messages: readonly ChatMessage[] | undefined = chat ? [{ role: 'user', content: text }] : undefined;
    const fixed: Payload =
      messages !== undefined
        ? { prompt: renderChatPrompt(messages), inputTokens: opts.inputTokens, maxNewTokens: opts.outputTokens, messages }
        : { prompt: text, inputTokens: opts.inputTokens, maxNewTokens: opts.outputTokens };
    const description: PayloadDescription = { inputTokens: opts.inputTokens, outputTokens: opts.outputTokens, seed, ...(chat ? { chatTemplate: CHAT_TEMPLATE } : {}) };
    return { next: () => fixed, describe: () => description };
  }
  const rows = loadDataset(opts.datasetPath);
  const random = createPrng(seed);
  const order = rows.map((row) => payloadOfRow(row, chat, opts.outputTokens));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const meanInput = Math.round(order.reduce((sum, row) => sum + row.inputTokens, 0) / order.length);
  const templated = chat || rows.some((row) => row.messages !== undefined);
  const description: PayloadDescription = {
    inputTokens: meanInput,
    outputTokens: opts.outputTokens,
    dataset: opts.datasetPath,
    seed,
    ...(templated ? { chatTemplate: CHAT_TEMPLATE } : {}),
  };
  let cursor = 0;
  return {
    next: () => {
      const payload = order[cursor];
      cursor = cursor + 1 === order.length ? 0 : cursor + 1;
      return payload;
    },
    describe: () => description,
  };
}
