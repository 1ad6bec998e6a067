import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PayloadDescription, TargetDescription } from '../../lib/results/records';
import { REPORT_FILES } from '../report/names';
import { checkOutputFolder } from '../report/output-folder';
import { RUN_FILES, runKeys } from './layout';
import { LocalFolderStore } from './local-store';
import { RunFiles } from './run-files';
import { RunIdentityError, type RunIdentity } from './run-identity';
import { claimRunManifest, newManifest, type RunManifest } from './run-manifest';
import { acquireRunLock, processOwner, type RunOwner } from './run-lock';

export interface OpenRunFolderOptions {
  readonly outDir: string;
  readonly identity: RunIdentity;
  readonly target: TargetDescription;
  readonly payload: PayloadDescription;
  /** Move an existing run aside (to `{outDir}.replaced-{time}`) and start afresh. */
  readonly restart?: boolean;
  /** Owner's command in the lock. @default 'llm-bench sweep' */
  readonly command?: string;
  /** Field errors name. @default '--out' */
  readonly field?: string;
  readonly now?: Date;
}

/** A results folder owned by this process for one run. */
export interface OpenRunFolder {
  readonly files: RunFiles;
  readonly manifest: RunManifest;
  /** True when the folder held this same run (it continues). */
  readonly resumed: boolean;
  /** Owner of a stale lock taken over (its process is gone). */
  readonly tookOver?: RunOwner;
  /** Where `restart` moved the previous run. */
  readonly movedAsideTo?: string;
  /** Releases the folder's lock. */
  close(): Promise<void>;
}

/** Files and folders a run writes at the top of its folder (the lock stays: this process holds it). */
function runEntries(dir: string): string[] {
  const ours = new Set<string>([RUN_FILES.manifest, 'levels', 'records', ...Object.values(REPORT_FILES)]);
  return readdirSync(dir).filter((name) => ours.has(name));
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Moves the run in `dir` to a sibling folder; returns it, or undefined when there was nothing to move. */
function moveRunAside(dir: string, now: Date): string | undefined {
  const entries = runEntries(dir);
  if (entries.length === 0) return undefined;
  let aside = `${dir}.replaced-${stamp(now)}`;
  for (let n = 2; existsSync(aside); n++) aside = `${dir}.replaced-${stamp(now)}-${n}`;
  mkdirSync(aside);
  for (const name of entries) renameSync(join(dir, name), join(aside, name));
  return aside;
}

/**
 * Opens `outDir` for a run, before anything is measured: checks the folder is writable, claims its
 * lock (refused while another live run holds it; a dead process's lock is taken over), then claims
 * its manifest: a new folder starts a run, the same identity continues it, a different identity
 * (or results without a manifest) is refused naming the differing fields, unless `restart` moves
 * the old run aside first.
 */
export async function openRunFolder(opts: OpenRunFolderOptions): Promise<OpenRunFolder> {
  const field = opts.field ?? '--out';
  const now = opts.now ?? new Date();
  const dir = resolve(opts.outDir);
  checkOutputFolder(dir, field);
  const store = new LocalFolderStore(dir);
  const keys = runKeys('');
  const location = `folder '${opts.outDir}'`;
  const lock = await acquireRunLock(store, keys.lock, processOwner(opts.command ?? 'llm-bench sweep'), {
    field,
    location,
    remedy: 'wait for that run to end, or give another --out',
  });
  try {
    const movedAsideTo = opts.restart === true ? moveRunAside(dir, now) : undefined;
    const remedies = `Give a new ${field}, or add --restart to move the old run aside (to ${opts.outDir}.replaced-<time>) and start afresh.`;
    if (!existsSync(join(dir, RUN_FILES.manifest)) && runEntries(dir).length > 0) {
      throw new RunIdentityError(field, location, [`${RUN_FILES.manifest}: (absent: results of an older llm-bench or another tool) → ${opts.identity.toolVersion}`], remedies);
    }
    const fresh = newManifest({ runId: `sweep-${stamp(now)}`, startedAt: now.toISOString(), identity: opts.identity, target: opts.target, payload: opts.payload });
    const claim = await claimRunManifest(store, keys.manifest, fresh, { field, location, remedies });
    return {
      files: new RunFiles(store, keys),
      manifest: claim.manifest,
      resumed: claim.resumed,
      ...(lock.tookOver ? { tookOver: lock.tookOver } : {}),
      ...(movedAsideTo !== undefined ? { movedAsideTo } : {}),
      close: () => lock.release(),
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
