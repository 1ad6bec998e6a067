import { closeSync, createWriteStream, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { constants as zlibConstants, createGzip, gunzipSync } from 'node:zlib';
import type { RequestRecord } from '../../lib/results/records';

/** Appends request records as JSON lines while a level runs. */
export interface JsonlWriter {
  write(record: RequestRecord): void;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

const FLUSH_INTERVAL_MS = 100;
const FLUSH_BYTES = 256 * 1024;

/**
 * Opens `path` for appending (gzip when it ends in `.gz`). Lines are batched and flushed every
 * 100 ms, so a crash loses at most the last 100 ms; a gzip file is sync-flushed at each batch and
 * stays readable up to the last flush even if the process dies before `close()`.
 */
export function createJsonlWriter(path: string): JsonlWriter {
  mkdirSync(dirname(path), { recursive: true });
  return path.endsWith('.gz') ? gzipWriter(path) : plainWriter(path);
}

function plainWriter(path: string): JsonlWriter {
  const fd = openSync(path, 'a');
  let pending = '';
  const flush = (): void => {
    if (pending.length === 0) return;
    writeSync(fd, pending);
    pending = '';
  };
  const timer = setInterval(flush, FLUSH_INTERVAL_MS);
  timer.unref();
  return {
    write(record) {
      pending += JSON.stringify(record) + '\n';
      if (pending.length > FLUSH_BYTES) flush();
    },
    async close() {
      clearInterval(timer);
      flush();
      closeSync(fd);
    },
  };
}

function gzipWriter(path: string): JsonlWriter {
  const gzip = createGzip();
  const file = createWriteStream(path, { flags: 'a' });
  gzip.pipe(file);
  let dirty = false;
  const timer = setInterval(() => {
    if (!dirty) return;
    dirty = false;
    gzip.flush(zlibConstants.Z_SYNC_FLUSH);
  }, FLUSH_INTERVAL_MS);
  timer.unref();
  return {
    write(record) {
      gzip.write(JSON.stringify(record) + '\n');
      dirty = true;
    },
    close() {
      clearInterval(timer);
      return new Promise<void>((resolve, reject) => {
        file.once('finish', () => resolve());
        file.once('error', reject);
        gzip.end();
      });
    },
  };
}

/**
 * Reads records back (gzip detected by its magic bytes). A last line cut short by a crash is
 * skipped; a bad line anywhere else is an error naming the line.
 */
export function readJsonl(path: string): RequestRecord[] {
  const raw = readFileSync(path);
  const isGzip = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  const text = (isGzip ? gunzipSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH }) : raw).toString('utf8');
  const lines = text.split('\n');
  const records: RequestRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as RequestRecord);
    } catch (error) {
      const isLast = lines.slice(i + 1).every((rest) => rest.trim() === '');
      if (isLast) break;
      throw new Error(`${path}:${i + 1}: not a JSON record (${(error as Error).message})`, { cause: error });
    }
  }
  return records;
}
