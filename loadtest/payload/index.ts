import { UserInputError } from '../../lib/errors';
import type { PayloadDescription, RequestApi } from '../../lib/results/records';
import { createLengthSampler, formatLengthDistribution, meanOf, type LengthDistribution } from '../../lib/workload/length-distribution';
import { CHAT_TEMPLATE, chatPromptTokens, renderChatPrompt, userTurn, type ChatMessage } from './chat-template';
import { loadDataset, type DatasetRow } from './dataset';
import { createPrng } from './prng';
import { buildPrompt } from './prompt-builder';
import { countTokens } from './tokenizer';

export { countTokens } from './tokenizer';
export { buildPrompt } from './prompt-builder';
export { CHAT_TEMPLATE, chatPromptTokens, renderChatPrompt, type ChatMessage } from './chat-template';
export { parseLengthDistribution, formatLengthDistribution, type LengthDistribution } from '../../lib/workload/length-distribution';

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

/** The deployment's token limits (TGI MAX_INPUT_TOKENS / MAX_TOTAL_TOKENS); drawn lengths are clipped to them. */
export interface TokenLimits {
  readonly maxInputTokens?: number;
  readonly maxTotalTokens?: number;
}

export interface PayloadOptions {
  /** Prompt tokens: fixed, or a distribution drawn per request. Unused with a dataset. */
  readonly inputTokens: number | LengthDistribution;
  /** Output tokens asked for: fixed, or a distribution drawn per request. A dataset row's `outputTokens` wins. */
  readonly outputTokens: number | LengthDistribution;
  readonly seed?: number;
  /** JSONL file of {"prompt": ...} or {"messages": [...]}, each with an optional "outputTokens"; rows are sent in a seeded shuffled cycle. */
  readonly datasetPath?: string;
  /** The API the prompts are for: `chat` sends messages, counted after the chat template. @default 'generate' */
  readonly api?: RequestApi;
  /** Clip drawn lengths to the deployment's limits. @default no limit */
  readonly limits?: TokenLimits;
}

/** Seed of the prompt builder, length draws and dataset order when none is given. */
export const DEFAULT_PAYLOAD_SEED = 42;
/** A prompt has at least BOS and one token. */
const MIN_INPUT_TOKENS = 2;
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

/** A built prompt of `tokens` tokens as the API sends it. */
function builtPayload(tokens: number, seed: number, chat: boolean, maxNewTokens: number): Payload {
  const text = cachedPrompt(tokens, seed, chat);
  if (!chat) return { prompt: text, inputTokens: tokens, maxNewTokens };
  const messages: readonly ChatMessage[] = [{ role: 'user', content: text }];
  return { prompt: renderChatPrompt(messages), inputTokens: tokens, maxNewTokens, messages };
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

const asDistribution = (v: number | LengthDistribution): LengthDistribution => (typeof v === 'number' ? { kind: 'fixed', value: v } : v);

function validateFixed(field: string, d: LengthDistribution): void {
  if (d.kind === 'fixed' && (!Number.isInteger(d.value) || d.value < 1)) throw new UserInputError(field, `${d.value} must be an integer ≥ 1`);
}

/**
 * Prompts with exact input token counts (the chat template's included for chat) and `max_new_tokens`,
 * each fixed or drawn per request from a distribution (seeded: the same seed gives the same lengths
 * and prompts), clipped to the deployment's limits: input to [2, maxInputTokens], output to
 * [1, maxTotalTokens − input]. Dataset rows bring their prompts, and their output length when they
 * carry `outputTokens`.
 */
export function createPayloadSource(opts: PayloadOptions): PayloadSource {
  const input = asDistribution(opts.inputTokens);
  const output = asDistribution(opts.outputTokens);
  validateFixed('outputTokens', output);
  // A dataset brings its own prompts: the input length is not used.
  if (opts.datasetPath === undefined) validateFixed('inputTokens', input);
  const seed = opts.seed ?? DEFAULT_PAYLOAD_SEED;
  const chat = opts.api === 'chat';
  const template = chat ? { chatTemplate: CHAT_TEMPLATE } : {};
  const maxTotal = opts.limits?.maxTotalTokens ?? Infinity;
  const maxInput = Math.min(opts.limits?.maxInputTokens ?? Infinity, maxTotal - 1);
  const drawOutput = createLengthSampler(output, seed + 1);
  const distributions = {
    ...(input.kind !== 'fixed' && opts.datasetPath === undefined ? { inputDistribution: formatLengthDistribution(input) } : {}),
    ...(output.kind !== 'fixed' ? { outputDistribution: formatLengthDistribution(output) } : {}),
  };

  if (opts.datasetPath === undefined) {
    if (input.kind === 'fixed' && output.kind === 'fixed') {
      const fixed = builtPayload(input.value, seed, chat, output.value);
      const description: PayloadDescription = { inputTokens: input.value, outputTokens: output.value, seed, ...template };
      return { next: () => fixed, describe: () => description };
    }
    if (maxInput < MIN_INPUT_TOKENS) throw new UserInputError('limits', `maxTotalTokens ${maxTotal} leaves no room for a prompt and one output token`);
    const drawInput = createLengthSampler(input, seed);
    const description: PayloadDescription = { inputTokens: Math.round(meanOf(input)), outputTokens: Math.round(meanOf(output)), seed, ...template, ...distributions };
    return {
      next: () => {
        const inputTokens = drawInput(MIN_INPUT_TOKENS, maxInput);
        return builtPayload(inputTokens, seed, chat, drawOutput(1, maxTotal - inputTokens));
      },
      describe: () => description,
    };
  }

  const rows = loadDataset(opts.datasetPath);
  const random = createPrng(seed);
  // A row whose output length is known (its own, or a fixed one) is built once; others draw per request.
  const order = rows.map((row) => {
    const base = payloadOfRow(row, chat, 1);
    const room = Math.max(1, maxTotal - base.inputTokens);
    const known = row.outputTokens ?? (output.kind === 'fixed' ? output.value : undefined);
    return known !== undefined ? { payload: { ...base, maxNewTokens: Math.min(known, room) }, room, draw: false } : { payload: base, room, draw: true };
  });
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const meanInput = Math.round(order.reduce((sum, row) => sum + row.payload.inputTokens, 0) / order.length);
  const allOwn = rows.every((row) => row.outputTokens !== undefined);
  const meanOutput = allOwn ? Math.round(rows.reduce((sum, row) => sum + (row.outputTokens ?? 0), 0) / rows.length) : Math.round(meanOf(output));
  const templated = chat || rows.some((row) => row.messages !== undefined);
  const description: PayloadDescription = {
    inputTokens: meanInput,
    outputTokens: meanOutput,
    dataset: opts.datasetPath,
    seed,
    ...(templated ? { chatTemplate: CHAT_TEMPLATE } : {}),
    ...distributions,
  };
  let cursor = 0;
  return {
    next: () => {
      const row = order[cursor];
      cursor = cursor + 1 === order.length ? 0 : cursor + 1;
      return row.draw ? { ...row.payload, maxNewTokens: drawOutput(1, row.room) } : row.payload;
    },
    describe: () => description,
  };
}
