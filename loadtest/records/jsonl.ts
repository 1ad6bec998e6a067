import { readFileSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
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
