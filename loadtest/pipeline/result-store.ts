import { REPORT_CONTENT_TYPES } from '../report/names';

/**
 * Where a benchmark run's files live: an S3 bucket in AWS, a local folder offline and in tests.
 * Keys are `/`-separated paths relative to the store's root (see layout.ts).
 */
export interface ResultStore {
  /** Parsed JSON at `key`, or undefined when the key does not exist. */
  getJson<T>(key: string): Promise<T | undefined>;
  getBytes(key: string): Promise<Uint8Array | undefined>;
  putJson(key: string, value: unknown): Promise<void>;
  putText(key: string, text: string, contentType?: string): Promise<void>;
  putBytes(key: string, bytes: Uint8Array, contentType?: string): Promise<void>;
  /** Keys under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  exists(key: string): Promise<boolean>;
  /**
   * Writes `text` at `key` only when no object is there yet, atomically: of several writers of one
   * key exactly one gets true, the others false and the key keeps the winner's content.
   */
  createIfAbsent(key: string, text: string, contentType?: string): Promise<boolean>;
  /** Removes `key` (no error when it is absent). */
  delete(key: string): Promise<void>;
  /**
   * Removes the JSON at `key` when it still equals `expected` (a stale lock); true when this call
   * removed it. Of several callers at once, at most one gets true.
   */
  takeOverStale(key: string, expected: unknown): Promise<boolean>;
  /** Human-readable location of a key (file path or s3:// URI) for logs and reports. */
  locate(key: string): string;
}

/** Content types of stored files: the report files', and raw records (JSON lines). */
export const CONTENT_TYPES = {
  ...REPORT_CONTENT_TYPES,
  jsonl: 'application/x-ndjson',
} as const;
