import { readFileSync } from 'node:fs';
import { UserInputError } from '../../lib/errors';
import { CHAT_ROLES, chatProblem, type ChatMessage } from './chat-template';

/**
 * One dataset line: a prompt, or a conversation (OpenAI `messages`), with its own output length
 * (`outputTokens`, which wins over the sweep's) when given.
 */
export type DatasetRow = (
  | { readonly prompt: string; readonly messages?: undefined }
  | { readonly prompt?: undefined; readonly messages: readonly ChatMessage[] }
) & { readonly outputTokens?: number };

const EXPECTED = 'expected {"prompt": "..."} or {"messages": [{"role": "user", "content": "..."}]}, each with an optional "outputTokens": N, per line';

function parseMessages(value: unknown, where: string, field: string): ChatMessage[] {
  if (!Array.isArray(value)) throw new UserInputError(field, `${where}: "messages" must be a list; ${EXPECTED}`);
  const messages = value.map((item: unknown, i) => {
    const { role, content } = (typeof item === 'object' && item !== null ? item : {}) as { role?: unknown; content?: unknown };
    if (typeof role !== 'string' || !(CHAT_ROLES as readonly string[]).includes(role)) {
      throw new UserInputError(field, `${where}: messages[${i}].role must be one of ${CHAT_ROLES.join(', ')}`);
    }
    if (typeof content !== 'string' || content.length === 0) throw new UserInputError(field, `${where}: messages[${i}].content must be a non-empty string`);
    return { role: role as ChatMessage['role'], content };
  });
  const problem = chatProblem(messages);
  if (problem !== undefined) throw new UserInputError(field, `${where}: messages ${problem}`);
  return messages;
}

/** Reads a JSONL dataset of `{"prompt": "..."}` or `{"messages": [...]}` lines, each with an optional `"outputTokens": N`. */
export function loadDataset(path: string, field = 'datasetPath'): DatasetRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserInputError(field, `cannot read '${path}': ${(error as Error).message}`);
  }
  const rows: DatasetRow[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${path}:${index + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new UserInputError(field, `${where} is not JSON; ${EXPECTED}`);
    }
    const { prompt, messages, outputTokens } = (typeof row === 'object' && row !== null ? row : {}) as { prompt?: unknown; messages?: unknown; outputTokens?: unknown };
    if (outputTokens !== undefined && (typeof outputTokens !== 'number' || !Number.isInteger(outputTokens) || outputTokens < 1)) {
      throw new UserInputError(field, `${where} has "outputTokens": ${JSON.stringify(outputTokens)}; expected a whole number ≥ 1 or no field`);
    }
    const length = outputTokens !== undefined ? { outputTokens } : {};
    if (messages !== undefined) {
      rows.push({ messages: parseMessages(messages, where, field), ...length });
      return;
    }
    if (typeof prompt !== 'string' || prompt.length === 0) {
      throw new UserInputError(field, `${where} has no non-empty string "prompt" (nor "messages"); ${EXPECTED}`);
    }
    rows.push({ prompt, ...length });
  });
  if (rows.length === 0) throw new UserInputError(field, `'${path}' holds no prompts`);
  return rows;
}
