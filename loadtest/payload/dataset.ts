import { readFileSync } from 'node:fs';
import { UserInputError } from '../../lib/errors';
import { countTokens } from './tokenizer';

export interface DatasetPrompt {
  readonly prompt: string;
  readonly inputTokens: number;
}

/** Reads a JSONL dataset of `{"prompt": "..."}` lines and counts each prompt's tokens once. */
export function loadDataset(path: string, field = 'datasetPath'): DatasetPrompt[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserInputError(field, `cannot read '${path}': ${(error as Error).message}`);
  }
  const prompts: DatasetPrompt[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new UserInputError(field, `${path}:${index + 1} is not JSON; expected {"prompt": "..."} per line`);
    }
    const prompt = (row as { prompt?: unknown } | null)?.prompt;
    if (typeof prompt !== 'string' || prompt.length === 0) {
      throw new UserInputError(field, `${path}:${index + 1} has no non-empty string "prompt"`);
    }
    prompts.push({ prompt, inputTokens: countTokens(prompt) });
  });
  if (prompts.length === 0) throw new UserInputError(field, `'${path}' holds no prompts`);
  return prompts;
}
