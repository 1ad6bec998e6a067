import { UserInputError } from '../../lib/errors';
import type { PayloadDescription } from '../../lib/results/records';
import { loadDataset } from './dataset';
import { createPrng } from './prng';
import { buildPrompt } from './prompt-builder';

export { countTokens } from './tokenizer';
export { buildPrompt } from './prompt-builder';

/** One prompt to send. The object is reused between calls for a fixed payload: treat it as read-only. */
export interface Payload {
  readonly prompt: string;
  readonly inputTokens: number;
  readonly maxNewTokens: number;
}

export interface PayloadSource {
  next(): Payload;
  describe(): PayloadDescription;
}

export interface PayloadOptions {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly seed?: number;
  /** JSONL file of {"prompt": ...}; prompts are sent in a seeded shuffled cycle. */
  readonly datasetPath?: string;
}

const DEFAULT_SEED = 42;
const promptCache = new Map<string, string>();

function cachedPrompt(tokens: number, seed: number): string {
  const key = `${tokens}/${seed}`;
  let prompt = promptCache.get(key);
  if (prompt === undefined) {
    prompt = buildPrompt(tokens, seed);
    promptCache.set(key, prompt);
  }
  return prompt;
}

/** Prompts with exact input token counts and a fixed `max_new_tokens`. */
export function createPayloadSource(opts: PayloadOptions): PayloadSource {
  if (!Number.isInteger(opts.outputTokens) || opts.outputTokens < 1) {
    throw new UserInputError('outputTokens', `${opts.outputTokens} must be an integer ≥ 1`);
  }
  const seed = opts.seed ?? DEFAULT_SEED;
  if (opts.datasetPath === undefined) {
    const fixed: Payload = { prompt: cachedPrompt(opts.inputTokens, seed), inputTokens: opts.inputTokens, maxNewTokens: opts.outputTokens };
    const description: PayloadDescription = { inputTokens: opts.inputTokens, outputTokens: opts.outputTokens, seed };
    return { next: () => fixed, describe: () => description };
  }
  const rows = loadDataset(opts.datasetPath);
  const random = createPrng(seed);
  const order = rows.map((row) => ({ prompt: row.prompt, inputTokens: row.inputTokens, maxNewTokens: opts.outputTokens }));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const meanInput = Math.round(rows.reduce((sum, row) => sum + row.inputTokens, 0) / rows.length);
  const description: PayloadDescription = { inputTokens: meanInput, outputTokens: opts.outputTokens, dataset: opts.datasetPath, seed };
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
