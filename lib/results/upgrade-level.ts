import { LEVEL_RESULT_VERSION, type Distribution, type LevelResult } from './records';

/** A LevelResult as stored by schemaVersion 1: `itlMs` was the per-request (e2e − TTFT) / (tokens − 1). */
export type LevelResultV1 = Omit<LevelResult, 'schemaVersion' | 'itlMs' | 'tpotMs'> & { readonly schemaVersion: 1; readonly itlMs?: Distribution };

export type StoredLevelResult = LevelResult | LevelResultV1;

/** The LevelResult schemaVersions `upgradeLevelResult` reads. */
export const READABLE_LEVEL_VERSIONS: readonly number[] = [1, LEVEL_RESULT_VERSION];

/**
 * Reads a stored LevelResult of any supported schemaVersion into the current shape. Version 1's
 * `itlMs` was a per-request figure: it becomes `tpotMs` (version 1 kept no per-gap ITL).
 */
export function upgradeLevelResult(stored: StoredLevelResult): LevelResult {
  if (stored.schemaVersion === LEVEL_RESULT_VERSION) return stored;
  const { itlMs, ...rest } = stored;
  return { ...rest, schemaVersion: LEVEL_RESULT_VERSION, ...(itlMs !== undefined ? { tpotMs: itlMs } : {}) };
}
