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
  /** Human-readable location of a key (file path or s3:// URI) for logs and reports. */
  locate(key: string): string;
}

export const CONTENT_TYPES = {
  json: 'application/json',
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
  csv: 'text/csv; charset=utf-8',
  jsonlGz: 'application/x-ndjson',
} as const;
