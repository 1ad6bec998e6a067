import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createJsonlWriter, readJsonl } from '../../loadtest/records/jsonl';
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

  it.each(['c-2.jsonl', 'c-2.jsonl.gz'])('round-trips records through %s', async (name) => {
    const path = join(dir, 'records', name);
    const writer = createJsonlWriter(path);
    const written = Array.from({ length: 500 }, (_, i) => record(i));
    written.forEach((r) => writer.write(r));
    await writer.close();
    expect(readJsonl(path)).toEqual(written);
    if (name.endsWith('.gz')) expect(readFileSync(path).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('flushes while the level runs, before close', async () => {
    const path = join(dir, 'live.jsonl');
    const writer = createJsonlWriter(path);
    writer.write(record(1));
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(readJsonl(path)).toEqual([record(1)]);
    await writer.close();
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
  });

  it('names a corrupt line in the middle', () => {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, `${JSON.stringify(record(1))}\nnot json\n${JSON.stringify(record(2))}\n`);
    expect(() => readJsonl(path)).toThrow(/bad.jsonl:2: not a JSON record/);
  });
});
