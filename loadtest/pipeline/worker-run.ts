import type { LevelRunMeasures } from '../../lib/results/pool-runs';

export const WORKER_RUN_VERSION = 1 as const;

/**
 * What one Lambda worker measured of one repeat of a level beside its raw records (layout.ts:
 * workers/c-{N}-w{W}[-r{R}].json): what records cannot carry, its client's event-loop delay and CPU
 * (in its verdict), in an open loop its peak in flight and, against the local twin, the twin's lag over
 * its window (additive: a file without it reads as is). The merge pools them (poolLevelRuns).
 */
export interface WorkerRunFile extends LevelRunMeasures {
  readonly schemaVersion: typeof WORKER_RUN_VERSION;
  readonly concurrency: number;
  readonly worker: number;
  /** Measured requests the worker sent, and how many succeeded. */
  readonly requests: number;
  readonly ok: number;
  /** Streams (closed loop) or cap share (open loop) the worker held. */
  readonly slots: number;
}

/** Whether a stored JSON value is a WorkerRunFile this version reads. */
export function isWorkerRunFile(value: unknown): value is WorkerRunFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<WorkerRunFile>;
  return v.schemaVersion === WORKER_RUN_VERSION && typeof v.concurrency === 'number' && typeof v.worker === 'number' && typeof v.repeat === 'number';
}
