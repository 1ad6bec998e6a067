import type { EncodedLevelAccumulator } from '../../lib/results/level-accumulator';
import type { ClientVerdict } from '../../lib/results/records';
import type { Slo } from '../../lib/results/slo';
import type { PayloadOptions } from '../payload';
import type { TargetOptions, TargetSpec } from '../targets/types';
import type { ProcessShare } from './process-shares';

/**
 * The messages between a sweep and its client processes (node IPC, JSON). A process makes its own
 * target and payload from {@link ProcessWorkload}, runs its share of each level, streams the records
 * to its own file and answers with its level accumulator and its own client verdict.
 */

/** What a client process needs to make its target and payload: plain data, no clients or functions. */
export interface ProcessWorkload {
  readonly target: TargetSpec;
  readonly targetOptions: Omit<TargetOptions, 'sagemakerClient'>;
  /** The payload of process 0; process i > 0 uses processSeed(seed, i). */
  readonly payload: PayloadOptions;
}

/** Parent → process: set up once. */
export interface InitMessage {
  readonly type: 'init';
  readonly index: number;
  readonly workload: ProcessWorkload;
}

/** Parent → process: run one measurement of a level. */
export interface RunMessage {
  readonly type: 'run';
  readonly id: number;
  /** The level's key, stamped on records (`concurrency`). */
  readonly levelKey: number;
  readonly share: ProcessShare;
  /** Measured window, wall s. */
  readonly durationS?: number;
  readonly speedup?: number;
  readonly slo?: Slo;
  readonly repeat: number;
  readonly minCompletionsPerSlot?: number;
  /** Epoch ms at which every process of the level starts (before its own phase). */
  readonly startAtEpochMs: number;
  /** The process's records file of this level: opened at the level's first measurement, appended to by the next ones. */
  readonly recordsPath: string;
  readonly gzip: boolean;
}

/** Parent → process: the level is over, close its records file. */
export interface EndLevelMessage {
  readonly type: 'end-level';
  readonly id: number;
}

/** Parent → process: stop sending, cancel requests in flight (the run still answers with what it measured). */
export interface AbortMessage {
  readonly type: 'abort';
}

export type ToProcess = InitMessage | RunMessage | EndLevelMessage | AbortMessage;

export interface ReadyMessage {
  readonly type: 'ready';
}

/** Measured requests completed so far in the current run (about twice a second). */
export interface ProgressMessage {
  readonly type: 'progress';
  readonly id: number;
  readonly measured: number;
}

export interface RunDoneMessage {
  readonly type: 'done';
  readonly id: number;
  readonly accumulator: EncodedLevelAccumulator;
  /** This process's verdict on itself (its own send lag, event-loop delay and CPU). */
  readonly client?: ClientVerdict;
  /** Highest requests in flight in this process (open loop). */
  readonly peakInFlight?: number;
  /** Records written to the file by this run, warm-up included. */
  readonly records: number;
}

export interface LevelEndedMessage {
  readonly type: 'level-ended';
  readonly id: number;
  /** Records in the file, every measurement of the level. */
  readonly records: number;
}

export interface FailedMessage {
  readonly type: 'failed';
  readonly id?: number;
  readonly message: string;
  /** The domain field of a UserInputError. */
  readonly field?: string;
}

export type FromProcess = ReadyMessage | ProgressMessage | RunDoneMessage | LevelEndedMessage | FailedMessage;
