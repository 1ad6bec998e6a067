import { gunzipSync, gzipSync } from 'node:zlib';
import type { RequestRecord } from '../../lib/results/records';

/** Raw records as gzip-compressed JSON lines (one RequestRecord per line). */
export function encodeRecords(records: readonly RequestRecord[]): Uint8Array {
  const text = records.map((r) => JSON.stringify(r)).join('\n');
  return gzipSync(Buffer.from(records.length > 0 ? `${text}\n` : '', 'utf8'));
}

export function decodeRecords(bytes: Uint8Array): RequestRecord[] {
  const text = gunzipSync(bytes).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RequestRecord);
}
