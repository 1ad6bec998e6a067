import type { Command } from 'commander';
import type { TgiSettings } from '../../lib/catalog/types';
import { UserInputError } from '../../lib/errors';

/**
 * Parsing of the numeric command-line values of every subcommand: each bad value is a
 * UserInputError naming the flag, the text given and the allowed range.
 */

export interface WholeNumberRange {
  /** @default 1 */
  readonly min?: number;
  /** @default no ceiling */
  readonly max?: number;
}

/** A whole number written in plain digits, within the range. */
export function wholeNumberFlag(field: string, text: string, range: WholeNumberRange = {}): number {
  const min = range.min ?? 1;
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || value < min || (range.max !== undefined && value > range.max)) {
    const allowed = range.max === undefined ? `≥ ${min}` : `from ${min} to ${range.max.toLocaleString('en-US')}`;
    throw new UserInputError(field, `'${text}' is not a whole number ${allowed}`);
  }
  return value;
}

export function optionalWholeNumberFlag(field: string, text: string | undefined, range: WholeNumberRange = {}): number | undefined {
  return text === undefined ? undefined : wholeNumberFlag(field, text, range);
}

/** A finite number > 0 (decimals allowed). */
export function positiveNumberFlag(field: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UserInputError(field, `'${text}' is not a positive number`);
  return value;
}

export interface NumberRange {
  /** @default 0 */
  readonly min?: number;
  /** @default no ceiling */
  readonly max?: number;
}

/** A finite number (decimals allowed) within the range, bounds included. */
export function numberFlag(field: string, text: string, range: NumberRange = {}): number {
  const min = range.min ?? 0;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || (range.max !== undefined && value > range.max)) {
    const allowed = range.max === undefined ? `≥ ${min}` : `from ${min} to ${range.max}`;
    throw new UserInputError(field, `'${text}' is not a number ${allowed}`);
  }
  return value;
}

/**
 * A comma-separated list of concurrency levels (`1,2,4,8`), in the order given: each a whole
 * number ≥ 1, none repeated (a repeat is a typo more often than a wish to measure a level twice).
 * With `allowAuto`, the word `auto` (the adaptive search) is accepted too.
 */
export function concurrencyListFlag(field: string, text: string): number[];
export function concurrencyListFlag(field: string, text: string, opts: { readonly allowAuto: true }): number[] | 'auto';
export function concurrencyListFlag(field: string, text: string, opts: { readonly allowAuto?: boolean } = {}): number[] | 'auto' {
  if (opts.allowAuto === true && text.trim() === 'auto') return 'auto';
  const example = opts.allowAuto === true ? 'e.g. 1,2,4,8 or auto' : 'e.g. 1,2,4,8';
  const parts = text.split(',').map((part) => part.trim());
  if (parts.every((part) => part === '')) throw new UserInputError(field, `'${text}' lists no levels; give ${example}`);
  if (parts.includes('')) throw new UserInputError(field, `'${text}' has an empty entry; give whole numbers separated by commas, ${example}`);
  const levels = parts.map((part) => {
    const value = Number(part);
    if (!/^\d+$/.test(part) || value < 1) throw new UserInputError(field, `'${part}' is not a whole number ≥ 1 (in '${text}')`);
    return value;
  });
  const repeated = levels.find((c, i) => levels.indexOf(c) !== i);
  if (repeated !== undefined) throw new UserInputError(field, `'${text}' repeats level ${repeated}; list each level once`);
  return levels;
}

/** The TGI launcher settings both commands accept, as commander hands them over. */
export interface TgiFlags {
  readonly maxConcurrentRequests?: string;
  readonly maxBatchTotalTokens?: string;
  readonly maxBatchPrefillTokens?: string;
  readonly maxTotalTokens?: string;
  readonly maxInputTokens?: string;
}

/** Sanity ceilings (not TGI limits): a typo such as an extra zero fails at once instead of simulating nonsense. */
const TGI_TOKENS_MAX = 1_048_576;
const TGI_REQUESTS_MAX = 100_000;

export function addTgiOptions(command: Command): Command {
  return command
    .option('--max-concurrent-requests <n>', 'TGI MAX_CONCURRENT_REQUESTS (default: JumpStart)')
    .option('--max-batch-total-tokens <n>', 'TGI MAX_BATCH_TOTAL_TOKENS (default: sized from free memory)')
    .option('--max-batch-prefill-tokens <n>', 'TGI MAX_BATCH_PREFILL_TOKENS (default: JumpStart)')
    .option('--max-total-tokens <n>', 'TGI MAX_TOTAL_TOKENS (default: JumpStart)')
    .option('--max-input-tokens <n>', 'TGI MAX_INPUT_TOKENS (default: JumpStart)');
}

/** The TGI settings given on the command line; absent flags are absent keys (JumpStart defaults apply). */
export function tgiOverridesOf(flags: TgiFlags): Partial<TgiSettings> {
  const tokens = { max: TGI_TOKENS_MAX };
  const overrides: Partial<Record<keyof TgiSettings, number | undefined>> = {
    maxConcurrentRequests: optionalWholeNumberFlag('--max-concurrent-requests', flags.maxConcurrentRequests, { max: TGI_REQUESTS_MAX }),
    maxBatchTotalTokens: optionalWholeNumberFlag('--max-batch-total-tokens', flags.maxBatchTotalTokens, tokens),
    maxBatchPrefillTokens: optionalWholeNumberFlag('--max-batch-prefill-tokens', flags.maxBatchPrefillTokens, tokens),
    maxTotalTokens: optionalWholeNumberFlag('--max-total-tokens', flags.maxTotalTokens, tokens),
    maxInputTokens: optionalWholeNumberFlag('--max-input-tokens', flags.maxInputTokens, tokens),
  };
  return Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<TgiSettings>;
}
