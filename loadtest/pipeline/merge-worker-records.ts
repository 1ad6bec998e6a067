import { summarizeLevel } from '../../lib/results/summarize-level';
import type { LevelResult, OpenLoopLoad, RequestRecord } from '../../lib/results/records';
import type { Slo } from '../../lib/results/slo';
import { pipelineRunKeys } from './layout';
import type { ResultStore } from './result-store';
import { RunFiles } from './run-files';

export interface MergeLevelInput {
  readonly deploymentId: string;
  readonly runId: string;
  readonly concurrency: number;
  /** Workers the level ran on: every one must have written its records. */
  readonly workers: number;
  /** Time compression of the endpoint (1 in AWS); durations are scaled back by it. */
  readonly speedup: number;
  /** Adds to the merged level before it is written (the endpoint's telemetry of its window). */
  readonly enrich?: (level: LevelResult, records: readonly RequestRecord[]) => Promise<LevelResult>;
  /** Open loop: the level's offered rate (sum of its workers') and arrivals. */
  readonly offeredRatePerS?: number;
  readonly openLoop?: Omit<OpenLoopLoad, 'waitedForCap'>;
  /** SLOs each request is judged on. */
  readonly slo?: Slo;
}

/**
 * Merges a level exactly: the union of every worker's raw records (in worker order) summarized
 * once, so percentiles are never averaged across workers; written to levels/c-{N}.json. Throws
 * naming the workers whose records are missing.
 */
export async function mergeLevel(store: ResultStore, input: MergeLevelInput): Promise<LevelResult> {
  const run = new RunFiles(store, pipelineRunKeys(input.deploymentId, input.runId));
  const byWorker = await run.levelRecords(input.concurrency);
  const missing = Array.from({ length: input.workers }, (_, w) => w).filter((w) => !byWorker.has(w));
  if (missing.length > 0) {
    throw new Error(`level c=${input.concurrency}: no records from worker(s) ${missing.join(', ')} of ${input.workers}`);
  }
  const records = [...byWorker.entries()].sort(([a], [b]) => a - b).flatMap(([, workerRecords]) => workerRecords);
  const summarized = summarizeLevel(records, {
    concurrency: input.concurrency,
    speedup: input.speedup,
    ...(input.offeredRatePerS !== undefined ? { offeredRatePerS: input.offeredRatePerS } : {}),
    ...(input.openLoop !== undefined ? { openLoop: input.openLoop } : {}),
    ...(input.slo !== undefined ? { slo: input.slo } : {}),
  });
  const level = input.enrich ? await input.enrich(summarized, records) : summarized;
  await run.putLevel(level);
  return level;
}
