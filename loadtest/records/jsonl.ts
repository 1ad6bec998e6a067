import { closeSync, createReadStream, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { constants as zlibConstants, createGunzip, gunzipSync, gzipSync } from 'node:zlib';
import type { RequestRecord } from '../../lib/results/records';

/**
 * The one codec of raw request records: JSON lines, one RequestRecord per line, optionally gzip.
 * The CLI sweep and the pipeline's workers write it; merging, resuming and the chaos check read it.
 */

/** Records as JSON lines (gzip-compressed when `gzip`). */
export function encodeJsonl(records: readonly RequestRecord[], opts: { readonly gzip?: boolean } = {}): Uint8Array {
  const text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
  const bytes = Buffer.from(text, 'utf8');
  return opts.gzip === true ? gzipSync(bytes) : bytes;
}

/** True when `bytes` start with the gzip magic number (RFC 1952, section 2.3.1: ID1 31, ID2 139). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Records back from JSON lines (gzip detected by its magic bytes). A last line cut short by a crash
 * is skipped, also in a gzip stream without its trailer; a bad line anywhere else is an error
 * naming `source` and the line.
 */
export function decodeJsonl(bytes: Uint8Array, source = 'records'): RequestRecord[] {
  const text = (isGzip(bytes) ? gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH }) : Buffer.from(bytes)).toString('utf8');
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
      throw new Error(`${source}:${i + 1}: not a JSON record (${(error as Error).message})`, { cause: error });
    }
  }
  return records;
}

/** Records of a JSONL file (plain or gzip); see decodeJsonl. */
export function readJsonl(path: string): RequestRecord[] {
  return decodeJsonl(readFileSync(path), path);
}

/** Records buffered before a write: what a records writer holds in memory at most. */
export const JSONL_BATCH_RECORDS = 1024;

/**
 * Appends records to a JSONL file as they complete, so a level's memory does not grow with its
 * request count: lines are buffered up to {@link JSONL_BATCH_RECORDS} and written synchronously
 * (a slow disk slows the client rather than queueing records in memory); with `gzip` each batch is
 * one gzip member, and a gzip reader reads their concatenation (RFC 1952, section 2.2: a file is a
 * series of members). The same bytes as encodeJsonl of the same records when not gzipped.
 */
export class JsonlWriter {
  private fd: number | undefined;
  private batch: string[] = [];
  private written = 0;

  constructor(
    public readonly path: string,
    private readonly opts: { readonly gzip?: boolean } = {},
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }

  /** Records written so far (buffered ones included). */
  get count(): number {
    return this.written;
  }

  write(record: RequestRecord): void {
    if (this.fd === undefined) throw new Error(`${this.path}: records writer already closed`);
    this.batch.push(`${JSON.stringify(record)}\n`);
    this.written += 1;
    if (this.batch.length >= JSONL_BATCH_RECORDS) this.flush();
  }

  /** Writes the buffered records. */
  flush(): void {
    if (this.batch.length === 0 || this.fd === undefined) return;
    const bytes = Buffer.from(this.batch.join(''), 'utf8');
    writeSync(this.fd, this.opts.gzip === true ? gzipSync(bytes, { level: zlibConstants.Z_BEST_SPEED }) : bytes);
    this.batch = [];
  }

  /** Flushes and closes the file (again: nothing). */
  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Calls `onRecord` with every record of a JSONL file (plain or gzip, several gzip members included)
 * read as a stream, so a file of any size is read in constant memory. A last line cut short is
 * skipped; a bad line elsewhere is an error naming the file and line.
 */
export async function forEachJsonlRecord(path: string, onRecord: (record: RequestRecord) => void): Promise<number> {
  const head = Buffer.alloc(2);
  const fd = openSync(path, 'r');
  let headBytes: number;
  try {
    headBytes = readSync(fd, head, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  const file = createReadStream(path);
  const input = isGzip(head.subarray(0, headBytes)) ? file.pipe(createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH })) : file;
  file.on('error', (error) => input.destroy(error));
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let pending: { line: string; no: number; error: Error } | undefined;
  let count = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === '') continue;
    if (pending !== undefined) throw new Error(`${path}:${pending.no}: not a JSON record (${pending.error.message})`, { cause: pending.error });
    let record: RequestRecord;
    try {
      record = JSON.parse(line) as RequestRecord;
    } catch (error) {
      // Only a last line may be cut short: decide once the next non-empty line is seen.
      pending = { line, no: lineNo, error: error as Error };
      continue;
    }
    onRecord(record);
    count += 1;
  }
  return count;
}
