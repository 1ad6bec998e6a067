import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError } from '../../lib/errors';

/** Bytes written by the write check: enough to hit a full disk, small enough to cost nothing. */
const PROBE_BYTES = 64 * 1024;

function why(code: unknown, fallback: unknown): string {
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return 'not a directory: a file is in the way';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'disk full (no space left on the device)';
    default:
      return String(code ?? fallback);
  }
}

/** Creates `dir`; a path that cannot be a folder (a file on the way, no permission) is a user error naming `field`. */
export function makeOutputFolder(dir: string, field = '--out'): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UserInputError(field, `cannot create folder '${dir}' (${why((error as { code?: unknown }).code, error)}); give a writable folder`);
  }
  if (!statSync(dir).isDirectory()) throw new UserInputError(field, `'${dir}' is not a directory; give a writable folder`);
}

/**
 * Makes sure results can be written to `dir` before any measurement starts: creates it, then writes
 * and removes a 64 KiB file, so a read-only location or a full disk is reported now, naming `field`.
 */
export function checkOutputFolder(dir: string, field = '--out'): void {
  makeOutputFolder(dir, field);
  const probe = join(dir, `.llm-bench-write-check-${process.pid}`);
  try {
    writeFileSync(probe, Buffer.alloc(PROBE_BYTES));
  } catch (error) {
    rmSync(probe, { force: true });
    throw new UserInputError(field, `cannot write to '${dir}' (${why((error as { code?: unknown }).code, error)}); give a writable folder with free space`);
  }
  rmSync(probe, { force: true });
}
