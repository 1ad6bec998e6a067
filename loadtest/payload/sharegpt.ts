import { UserInputError } from '../../lib/errors';
import { countTokens } from './tokenizer';

/** One row of a dataset file: a prompt and the length of the answer it got. */
export interface DatasetRow {
  readonly prompt: string;
  readonly outputTokens: number;
}

/**
 * Which conversations are kept, with the defaults of vLLM's benchmark datasets
 * (vllm-project/vllm, vllm/benchmarks/datasets.py, `is_valid_sequence`: min_len 4,
 * max_prompt_len 1024, max_total_len 2048), here in Llama tokens.
 */
export interface ShareGptFilter {
  readonly minTokens: number;
  readonly maxPromptTokens: number;
  readonly maxTotalTokens: number;
}

export const SHAREGPT_FILTER: ShareGptFilter = { minTokens: 4, maxPromptTokens: 1024, maxTotalTokens: 2048 };

export interface ShareGptConversion {
  readonly rows: readonly DatasetRow[];
  /** Conversations left out, by reason. */
  readonly skipped: Readonly<Record<'no-first-exchange' | 'too-short' | 'too-long', number>>;
}

interface Turn {
  readonly from?: unknown;
  readonly value?: unknown;
}

const HUMAN = new Set(['human', 'user']);
const MODEL = new Set(['gpt', 'chatgpt', 'assistant', 'bard', 'model']);

/** The conversations of a ShareGPT file: a JSON array, or one JSON object per line. */
function conversationsOf(text: string, field: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown[];
    } catch (error) {
      throw new UserInputError(field, `not a JSON array of conversations: ${(error as Error).message}`);
    }
  }
  return trimmed
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new UserInputError(field, `line ${index + 1} is not JSON; expected a JSON array of {"conversations": [{"from", "value"}, ...]} or one such object per line`);
      }
    });
}

/**
 * Converts ShareGPT conversations (`{"conversations": [{"from": "human", "value": ...}, {"from": "gpt",
 * "value": ...}, ...]}`) to dataset rows: the first human turn is the prompt, the model's answer to
 * it sets `outputTokens` (its Llama token count, no BOS). Conversations without a first exchange, or
 * outside the filter's lengths, are skipped and counted.
 */
export function convertShareGpt(text: string, filter: ShareGptFilter = SHAREGPT_FILTER, field = 'input'): ShareGptConversion {
  const rows: DatasetRow[] = [];
  const skipped = { 'no-first-exchange': 0, 'too-short': 0, 'too-long': 0 };
  for (const conversation of conversationsOf(text, field)) {
    const turns = (conversation as { conversations?: unknown } | null)?.conversations;
    const list: Turn[] = Array.isArray(turns) ? (turns as Turn[]) : [];
    const first = list.findIndex((t) => typeof t?.from === 'string' && HUMAN.has(t.from) && typeof t.value === 'string' && t.value.length > 0);
    const answer = first === -1 ? undefined : list[first + 1];
    if (first === -1 || answer === undefined || typeof answer.from !== 'string' || !MODEL.has(answer.from) || typeof answer.value !== 'string') {
      skipped['no-first-exchange'] += 1;
      continue;
    }
    const prompt = list[first].value as string;
    const promptTokens = countTokens(prompt);
    const outputTokens = countTokens(answer.value) - 1; // no BOS on generated text
    if (promptTokens < filter.minTokens || outputTokens < filter.minTokens) skipped['too-short'] += 1;
    else if (promptTokens > filter.maxPromptTokens || promptTokens + outputTokens > filter.maxTotalTokens) skipped['too-long'] += 1;
    else rows.push({ prompt, outputTokens });
  }
  return { rows, skipped };
}

/** Dataset rows as JSONL, one `{"prompt", "outputTokens"}` per line. */
export function datasetJsonl(rows: readonly DatasetRow[]): string {
  return rows.map((row) => JSON.stringify({ prompt: row.prompt, outputTokens: row.outputTokens })).join('\n') + (rows.length > 0 ? '\n' : '');
}
