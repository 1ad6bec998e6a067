import { summarizeLevel } from '../../lib/results/summarize-level';
import type { LevelResult, RequestRecord } from '../../lib/results/records';
import { levelKey, levelRecordsPrefix } from './layout';
import { decodeRecords } from './records-codec';
import type { ResultStore } from './result-store';

export interface MergeLevelInput {
  readonly deploymentId: string;
  readonly runId: string;
  readonly concurrency: number;
  /** Workers the level ran on: every one must have written its records. */
  readonly workers: number;
  /** Time compression of the endpoint (1 in AWS); durations are scaled back by it. */
  readonly speedup: number;
}

/** Every worker's raw records of one level, in worker order. Throws when a worker's file is missing. */
export async function readLevelRecords(store: ResultStore, input: MergeLevelInput): Promise<RequestRecord[]> {
  const keys = await store.list(levelRecordsPrefix(input.deploymentId, input.runId, input.concurrency));
  const workersFound = new Set(keys.map((k) => Number(/-w(\d+)\.jsonl\.gz$/.exec(k)?.[1])));
  const missing = Array.from({ length: input.workers }, (_, w) => w).filter((w) => !workersFound.has(w));
  if (missing.length > 0) {
    throw new Error(`level c=${input.concurrency}: no records from worker(s) ${missing.join(', ')} of ${input.workers}`);
  }
  const records: RequestRecord[] = [];
  for (const key of keys) {
    const bytes = await store.getBytes(key);
    if (bytes !== undefined) records.push(...decodeRecords(bytes));
  }
  return records;
}

/**
 * Merges a level exactly: the union of every worker's raw records summarized once (percentiles are
 * never averaged across workers), written to levels/c-{N}.json.
 */
export async function mergeLevel(store: ResultStore, input: MergeLevelInput): Promise<LevelResult> {
  const records = await readLevelRecords(store, input);
  const level = summarizeLevel(records, { concurrency: input.concurrency, speedup: input.speedup });
  await store.putJson(levelKey(input.deploymentId, input.runId, input.concurrency), level);
  return level;
}

/** The merged levels of a run, ascending by concurrency. */
export async function readMeasuredLevels(store: ResultStore, levelKeys: readonly string[]): Promise<LevelResult[]> {
  const levels: LevelResult[] = [];
  for (const key of levelKeys) {
    const level = await store.getJson<LevelResult>(key);
    if (level !== undefined) levels.push(level);
  }
  return levels.sort((a, b) => a.concurrency - b.concurrency);
}
