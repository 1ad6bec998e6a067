import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserInputError } from '../../lib/errors';
import { convertShareGpt, datasetJsonl, SHAREGPT_FILTER, type ShareGptConversion } from '../payload/sharegpt';
import { wholeNumberFlag } from './flag-values';

export interface FromShareGptFlags {
  readonly minTokens?: string;
  readonly maxPromptTokens?: string;
  readonly maxTotalTokens?: string;
}

/** `llm-bench dataset from-sharegpt IN OUT`: converts a ShareGPT file to a JSONL dataset; returns the conversion. */
export function runFromShareGpt(input: string, output: string, flags: FromShareGptFlags = {}): ShareGptConversion {
  let text: string;
  try {
    text = readFileSync(input, 'utf8');
  } catch (error) {
    throw new UserInputError('IN', `cannot read '${input}': ${(error as Error).message}`);
  }
  const conversion = convertShareGpt(
    text,
    {
      minTokens: flags.minTokens !== undefined ? wholeNumberFlag('--min-tokens', flags.minTokens) : SHAREGPT_FILTER.minTokens,
      maxPromptTokens: flags.maxPromptTokens !== undefined ? wholeNumberFlag('--max-prompt-tokens', flags.maxPromptTokens) : SHAREGPT_FILTER.maxPromptTokens,
      maxTotalTokens: flags.maxTotalTokens !== undefined ? wholeNumberFlag('--max-total-tokens', flags.maxTotalTokens) : SHAREGPT_FILTER.maxTotalTokens,
    },
    'IN',
  );
  if (conversion.rows.length === 0) throw new UserInputError('IN', `'${input}' holds no conversation that passes the filter (skipped: ${JSON.stringify(conversion.skipped)})`);
  writeFileSync(output, datasetJsonl(conversion.rows));
  return conversion;
}

export function register(program: Command): void {
  const dataset = program.command('dataset').description('build JSONL datasets of {"prompt", "outputTokens"} rows for `sweep --dataset`');
  dataset
    .command('from-sharegpt <in> <out>')
    .description('first human turn → prompt, the answer’s Llama token count → outputTokens (vLLM benchmark filters)')
    .option('--min-tokens <n>', `shortest prompt and answer kept (default ${SHAREGPT_FILTER.minTokens})`)
    .option('--max-prompt-tokens <n>', `longest prompt kept (default ${SHAREGPT_FILTER.maxPromptTokens})`)
    .option('--max-total-tokens <n>', `longest prompt + answer kept (default ${SHAREGPT_FILTER.maxTotalTokens})`)
    .action((input: string, output: string, flags: FromShareGptFlags) => {
      const { rows, skipped } = runFromShareGpt(input, output, flags);
      process.stdout.write(`${rows.length} rows written to ${output}; skipped: ${Object.entries(skipped).map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
    });
}
