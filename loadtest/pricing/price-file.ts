/**
 * The local price override file that `llm-bench prices --refresh` writes and every command reads:
 * `~/.llm-bench/prices.json`, or the path in LLM_BENCH_PRICES_FILE. It holds Price List API rows per
 * region; a refresh replaces the rows of its region and keeps the others.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { UserInputError } from '../../lib/errors';
import type { PriceRow } from '../../lib/catalog/price-table';

export const PRICE_FILE_ENV = 'LLM_BENCH_PRICES_FILE';
export const DEFAULT_PRICE_FILE = path.join('~', '.llm-bench', 'prices.json');
export const PRICE_FILE_VERSION = 1;

export interface PriceFile {
  readonly schemaVersion: typeof PRICE_FILE_VERSION;
  readonly rows: readonly PriceRow[];
}

/** Where the override file is: LLM_BENCH_PRICES_FILE, else ~/.llm-bench/prices.json. */
export function priceFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[PRICE_FILE_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return path.resolve(fromEnv);
  return path.join(homedir(), '.llm-bench', 'prices.json');
}

function checkRow(row: unknown, file: string, i: number): PriceRow {
  const r = row as Partial<Record<keyof PriceRow, unknown>>;
  const bad = (field: string, allowed: string): never => {
    throw new UserInputError(`${file}: rows[${i}].${field}`, `must be ${allowed} (rewrite the file with llm-bench prices --refresh)`);
  };
  if (typeof r.instance !== 'string' || !r.instance.startsWith('ml.')) bad('instance', "an ml.* instance type");
  if (typeof r.region !== 'string' || r.region === '') bad('region', 'a region name');
  if (typeof r.usd !== 'number' || !(r.usd > 0)) bad('usd', 'a positive number of USD per hour');
  if (typeof r.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(r.asOf)) bad('asOf', 'an ISO date');
  if (typeof r.source !== 'string') bad('source', 'a string');
  if (typeof r.verified !== 'boolean') bad('verified', 'true or false');
  return row as PriceRow;
}

/** Rows of the override file; none when it does not exist. */
export function readPriceFile(file: string = priceFilePath()): readonly PriceRow[] {
  if (!existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserInputError(file, `is not JSON (${(error as Error).message}); delete it or run llm-bench prices --refresh`);
  }
  const doc = parsed as Partial<PriceFile>;
  if (doc.schemaVersion !== PRICE_FILE_VERSION) {
    throw new UserInputError(`${file}: schemaVersion`, `must be ${PRICE_FILE_VERSION}, got ${JSON.stringify(doc.schemaVersion)}`);
  }
  if (!Array.isArray(doc.rows)) throw new UserInputError(`${file}: rows`, 'must be an array of price rows');
  return doc.rows.map((row, i) => checkRow(row, file, i));
}

/** Replaces the rows of `region` in the file with `rows` (atomically); returns the file's rows. */
export function writePriceFile(region: string, rows: readonly PriceRow[], file: string = priceFilePath()): readonly PriceRow[] {
  const kept = readPriceFile(file).filter((r) => r.region !== region);
  const all = [...kept, ...rows].sort((a, b) => a.region.localeCompare(b.region) || a.instance.localeCompare(b.instance));
  const doc: PriceFile = { schemaVersion: PRICE_FILE_VERSION, rows: all };
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
  renameSync(tmp, file);
  return all;
}
