import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { UserInputError } from '../../lib/errors';
import type { ResultStore } from './result-store';

/** Who holds a run: a process (pid and host) and/or a pipeline execution. */
export interface RunOwner {
  readonly pid?: number;
  readonly host?: string;
  /** Step Functions execution name (pipeline runs). */
  readonly execution?: string;
  readonly startedAt: string;
  /** What the owner runs, e.g. `llm-bench sweep`. */
  readonly command?: string;
  /** Random per claim: two runs of one process are two owners. */
  readonly token?: string;
}

/** The owner of this process. */
export function processOwner(command: string, extra: { execution?: string } = {}): RunOwner {
  return { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command, token: randomUUID(), ...extra };
}

export function describeOwner(owner: RunOwner): string {
  const parts = [
    owner.command,
    owner.execution !== undefined ? `execution ${owner.execution}` : undefined,
    owner.pid !== undefined ? `pid ${owner.pid}` : undefined,
    owner.host !== undefined ? `on ${owner.host}` : undefined,
    `since ${owner.startedAt}`,
  ];
  return parts.filter((p) => p !== undefined).join(' ');
}

/** A second run into a run that another live run holds. */
export class RunLockedError extends UserInputError {
  public readonly owner: RunOwner;

  constructor(field: string, location: string, owner: RunOwner, remedy: string) {
    super(field, `${location} is in use by ${describeOwner(owner)}; ${remedy}`);
    this.name = 'RunLockedError';
    this.owner = owner;
  }
}

/** True while process `pid` exists on this host (signal 0 only checks). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sameOwner(a: RunOwner, b: RunOwner): boolean {
  if (a.execution !== undefined && a.execution === b.execution) return true;
  return a.token !== undefined && a.token === b.token;
}

/** A stale lock: its process is gone and it ran on this host (a pid on another host cannot be checked). */
function isStale(holder: RunOwner, me: RunOwner): boolean {
  return holder.pid !== undefined && holder.host !== undefined && holder.host === me.host && !isProcessAlive(holder.pid);
}

export interface HeldLock {
  /** Owner of a stale lock taken over, to report. */
  readonly tookOver?: RunOwner;
  /** True when this owner already held it (a later step of the same execution). */
  readonly reentered: boolean;
  release(): Promise<void>;
}

export interface LockPlace {
  /** Field the error names (`--out`, `--run-id`, `runId`). */
  readonly field: string;
  /** Human-readable place, e.g. the folder or s3:// key. */
  readonly location: string;
  /** What to do when the owner is alive (or cannot be checked). */
  readonly remedy: string;
}

/**
 * Claims the run's lock at `key` for `me` with a create-only write (a folder: link(2); S3:
 * `If-None-Match: *`), so of two runs starting together exactly one proceeds. A lock held by a dead
 * process of this host is taken over and reported; any other holder is refused with its name.
 */
export async function acquireRunLock(store: ResultStore, key: string, me: RunOwner, place: LockPlace): Promise<HeldLock> {
  let tookOver: RunOwner | undefined;
  const release = async (): Promise<void> => {
    const holder = await store.getJson<RunOwner>(key).catch(() => undefined);
    if (holder !== undefined && sameOwner(holder, me)) await store.delete(key);
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await store.createIfAbsent(key, `${JSON.stringify(me, null, 2)}\n`, 'application/json')) {
      return { reentered: false, release, ...(tookOver ? { tookOver } : {}) };
    }
    let holder: RunOwner | undefined;
    try {
      holder = await store.getJson<RunOwner>(key);
    } catch {
      // Cannot happen with create-only writes of whole files; an edited lock counts as held by someone unknown.
      throw new RunLockedError(place.field, place.location, { startedAt: 'unknown', command: `an unreadable lock ${store.locate(key)}` }, place.remedy);
    }
    if (holder === undefined) continue; // released meanwhile: try again
    if (sameOwner(holder, me)) return { reentered: true, release };
    if (!isStale(holder, me)) throw new RunLockedError(place.field, place.location, holder, place.remedy);
    // Only one of several runs finding the same stale lock removes it: the others' create then fails.
    if (await store.takeOverStale(key, holder)) tookOver = holder;
  }
  throw new Error(`${place.location}: could not claim ${store.locate(key)} after 5 attempts (runs starting and ending at once?)`);
}
