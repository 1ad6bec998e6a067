import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { UserInputError } from '../../lib/errors';
import { LevelAccumulator } from '../../lib/results/level-accumulator';
import type { ClientVerdict } from '../../lib/results/records';
import type { Slo } from '../../lib/results/slo';
import type { FromProcess, ProcessWorkload, RunMessage, ToProcess } from './process-protocol';
import type { ProcessShare } from './process-shares';
import { validateProcesses } from './process-shares';

/** Every process of a level starts this long after the level is sent to them (IPC delivery, their timers). */
export const START_DELAY_MS = 250;

/** How long a client process may take to load and make its target before the pool gives up. */
const READY_TIMEOUT_MS = 60_000;

/** One process's measurement of its share of a level. */
export interface ProcessRun {
  readonly accumulator: LevelAccumulator;
  readonly client?: ClientVerdict;
  readonly peakInFlight?: number;
  /** Records it wrote (warm-up included). */
  readonly records: number;
}

export interface PoolRunOptions {
  readonly levelKey: number;
  /** One share per process used (process i runs shares[i]); fewer shares than processes leave the rest idle. */
  readonly shares: readonly ProcessShare[];
  /** Measured window, wall s. */
  readonly durationS?: number;
  readonly speedup?: number;
  readonly slo?: Slo;
  readonly repeat: number;
  readonly minCompletionsPerSlot?: number;
  /** Records file of process i for this level. */
  readonly recordsPath: (index: number) => string;
  readonly gzip: boolean;
  readonly signal?: AbortSignal;
  /** Measured requests completed so far over every process (about twice a second). */
  readonly onProgress?: (measured: number) => void;
}

type Waiter = { readonly resolve: (message: FromProcess) => void; readonly reject: (error: Error) => void };

/** One forked client process and the answers it owes. */
class ClientProcess {
  private readonly waiters = new Map<string, Waiter>();
  private exited: Error | undefined;
  public measured = 0;

  constructor(
    public readonly index: number,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: FromProcess) => this.receive(message));
    child.on('exit', (code, signal) => {
      this.exited = new Error(`client process ${index} exited (${signal ?? `code ${code}`}) during the level`);
      for (const waiter of this.waiters.values()) waiter.reject(this.exited);
      this.waiters.clear();
    });
    child.on('error', (error) => {
      for (const waiter of this.waiters.values()) waiter.reject(error);
      this.waiters.clear();
    });
  }

  /** Sends `message` and waits for the answer of type `answer` to request `id` (or a failure). */
  request(message: ToProcess, answer: FromProcess['type'], id?: number): Promise<FromProcess> {
    if (this.exited !== undefined) return Promise.reject(this.exited);
    const key = `${answer}/${id ?? ''}`;
    const answered = new Promise<FromProcess>((resolve, reject) => this.waiters.set(key, { resolve, reject }));
    this.child.send(message);
    return answered;
  }

  post(message: ToProcess): void {
    if (this.exited === undefined && this.child.connected) this.child.send(message);
  }

  private receive(message: FromProcess): void {
    if (message.type === 'progress') {
      this.measured = message.measured;
      return;
    }
    if (message.type === 'failed') {
      const error = message.field !== undefined ? new UserInputError(message.field, message.message.replace(`${message.field}: `, '')) : new Error(message.message);
      const waiters = [...this.waiters.values()];
      this.waiters.clear();
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    const key = `${message.type}/${'id' in message ? message.id : ''}`;
    const waiter = this.waiters.get(key);
    this.waiters.delete(key);
    waiter?.resolve(message);
  }

  async close(): Promise<void> {
    if (this.exited !== undefined || this.child.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  }
}

/**
 * The client processes of a sweep run with `--processes N`: forked once (node child_process.fork of
 * client-process.ts through tsx), each making its own target and payload, then sent each level's
 * shares. A level's measurement starts in every process at one epoch time; each streams its records
 * to its own file and answers with its accumulator and client verdict, which the sweep merges.
 */
export class ProcessPool {
  private nextId = 1;

  private constructor(private readonly processes: readonly ClientProcess[]) {}

  get size(): number {
    return this.processes.length;
  }

  /** Forks `count` client processes and waits until each has made its target and payload. */
  static async start(count: number, workload: ProcessWorkload): Promise<ProcessPool> {
    validateProcesses(count);
    const entry = join(__dirname, 'client-process.ts');
    const processes = Array.from({ length: count }, (_, index) => {
      const child = fork(entry, [], { execArgv: ['--require', require.resolve('tsx/cjs')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      return new ClientProcess(index, child);
    });
    const pool = new ProcessPool(processes);
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`client processes not ready within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
      });
      try {
        await Promise.race([Promise.all(processes.map((p) => p.request({ type: 'init', index: p.index, workload }, 'ready'))), timeout]);
      } finally {
        clearTimeout(timer);
      }
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Runs one measurement of a level: process i its share i, all starting together; their results in process order. */
  async run(opts: PoolRunOptions): Promise<ProcessRun[]> {
    if (opts.shares.length > this.processes.length) throw new Error(`${opts.shares.length} shares for ${this.processes.length} client processes`);
    const id = this.nextId++;
    const used = this.processes.slice(0, opts.shares.length);
    const startAtEpochMs = Date.now() + START_DELAY_MS;
    const onAbort = (): void => used.forEach((p) => p.post({ type: 'abort' }));
    opts.signal?.addEventListener('abort', onAbort);
    for (const p of used) p.measured = 0;
    const progress = opts.onProgress !== undefined ? setInterval(() => opts.onProgress?.(used.reduce((sum, p) => sum + p.measured, 0)), 500) : undefined;
    try {
      const pending = used.map((p, i) => {
        const message: RunMessage = {
          type: 'run',
          id,
          levelKey: opts.levelKey,
          share: opts.shares[i],
          ...(opts.durationS !== undefined ? { durationS: opts.durationS } : {}),
          ...(opts.speedup !== undefined ? { speedup: opts.speedup } : {}),
          ...(opts.slo !== undefined ? { slo: opts.slo } : {}),
          repeat: opts.repeat,
          ...(opts.minCompletionsPerSlot !== undefined ? { minCompletionsPerSlot: opts.minCompletionsPerSlot } : {}),
          startAtEpochMs,
          recordsPath: opts.recordsPath(i),
          gzip: opts.gzip,
        };
        // A process that fails stops the others: the level ends with every process's file closed.
        return p.request(message, 'done', id).catch((error: unknown) => {
          onAbort();
          throw error;
        });
      });
      const settled = await Promise.allSettled(pending);
      const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
      const answers = settled.map((s) => (s as PromiseFulfilledResult<FromProcess>).value);
      return answers.map((answer) => {
        if (answer.type !== 'done') throw new Error(`unexpected answer '${answer.type}' from a client process`);
        return {
          accumulator: LevelAccumulator.decode(answer.accumulator),
          ...(answer.client !== undefined ? { client: answer.client } : {}),
          ...(answer.peakInFlight !== undefined ? { peakInFlight: answer.peakInFlight } : {}),
          records: answer.records,
        };
      });
    } finally {
      clearInterval(progress);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Closes every process's records file of the level; resolves once they are on disk. */
  async endLevel(): Promise<void> {
    const id = this.nextId++;
    await Promise.all(this.processes.map((p) => p.request({ type: 'end-level', id }, 'level-ended', id)));
  }

  /** Disconnects every process (each closes its target and exits); kills one that does not exit within 5 s. */
  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.close()));
  }
}
