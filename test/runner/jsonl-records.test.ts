import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeJsonl, encodeJsonl, readJsonl } from '../../loadtest/records/jsonl';
import { REQUEST_RECORD_VERSION, type RequestRecord } from '../../lib/results/records';

const record = (seq: number): RequestRecord => ({
  schemaVersion: REQUEST_RECORD_VERSION,
  concurrency: 2,
  worker: seq % 2,
  seq,
  clockOriginMs: 1_700_000_000_000,
  scheduledMs: seq,
  sentMs: seq + 0.5,
  endMs: seq + 10,
  inputTokens: 256,
  outputTokens: 256,
});

describe('JSONL record files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jsonl-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([false, true])('round-trips records (gzip %s), read back from bytes or a file', (gzip) => {
    const path = join(dir, `c-2.jsonl${gzip ? '.gz' : ''}`);
    const written = Array.from({ length: 500 }, (_, i) => record(i));
    const bytes = encodeJsonl(written, { gzip });
    writeFileSync(path, bytes);
    expect(decodeJsonl(bytes)).toEqual(written);
    expect(readJsonl(path)).toEqual(written);
    expect(readFileSync(path).subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(gzip);
    expect(decodeJsonl(encodeJsonl([], { gzip }))).toEqual([]);
  });

  it('skips a last line cut short by a crash, also in a gzip file without its trailer', () => {
    const plain = join(dir, 'crash.jsonl');
    writeFileSync(plain, JSON.stringify(record(1)) + '\n');
    appendFileSync(plain, '{"schemaVersion":1,"concur');
    expect(readJsonl(plain)).toEqual([record(1)]);
    const gz = join(dir, 'crash.jsonl.gz');
    const full = gzipSync(JSON.stringify(record(1)) + '\n' + JSON.stringify(record(2)) + '\n');
    writeFileSync(gz, full.subarray(0, full.length - 8)); // no CRC/size trailer
    expect(readJsonl(gz).map((r) => r.seq)).toEqual([1, 2]);
    // A gzip stream cut inside its last line keeps the lines before it.
    const cut = gzipSync(JSON.stringify(record(1)) + '\n' + JSON.stringify(record(2)).slice(0, 20));
    expect(decodeJsonl(cut).map((r) => r.seq)).toEqual([1]);
  });

  it('names a corrupt line in the middle', () => {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, `${JSON.stringify(record(1))}\nnot json\n${JSON.stringify(record(2))}\n`);
    expect(() => readJsonl(path)).toThrow(/bad.jsonl:2: not a JSON record/);
  });
});
