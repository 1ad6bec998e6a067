import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { summarizeLevel } from '../../lib/results/summarize-level';
import { levelKey, recordsKey } from '../../loadtest/pipeline/layout';
import { LocalFolderStore } from '../../loadtest/pipeline/local-store';
import { mergeLevel } from '../../loadtest/pipeline/merge-worker-records';
import { decodeJsonl, encodeJsonl } from '../../loadtest/records/jsonl';
import { checkRegression } from '../../loadtest/pipeline/regression';
import { SWEEP_RESULT_VERSION, type SweepResult } from '../../lib/results/records';
import { level, requestRecord } from './records-fixture';

function tmpStore(): LocalFolderStore {
  return new LocalFolderStore(mkdtempSync(path.join(tmpdir(), 'llm-bench-store-')));
}

describe('LocalFolderStore', () => {
  it('round-trips JSON, text and bytes and lists keys by prefix', async () => {
    const store = tmpStore();
    await store.putJson('runs/d/r/levels/c-4.json', { a: 1 });
    await store.putJson('runs/d/r/levels/c-48.json', { a: 2 });
    await store.putText('runs/d/r/report.md', '# hi');
    await store.putBytes('runs/d/r/records/c-4-w0.jsonl.gz', encodeJsonl([], { gzip: true }));
    expect(await store.getJson('runs/d/r/levels/c-4.json')).toEqual({ a: 1 });
    expect(await store.getJson('runs/d/r/missing.json')).toBeUndefined();
    expect(await store.exists('runs/d/r/report.md')).toBe(true);
    expect(await store.exists('runs/d/r/nope')).toBe(false);
    expect(await store.list('runs/d/r/levels/')).toEqual(['runs/d/r/levels/c-4.json', 'runs/d/r/levels/c-48.json']);
    expect(await store.list('runs/d/r/records/c-4-w')).toEqual(['runs/d/r/records/c-4-w0.jsonl.gz']);
    expect(await store.list('runs/other/')).toEqual([]);
    expect(store.locate('runs/d/r/report.md')).toBe(path.join(store.root, 'runs', 'd', 'r', 'report.md'));
  });
});

describe('JSONL codec', () => {
  it('round-trips records through plain and gzip JSON lines', () => {
    const records = [requestRecord({ concurrency: 2, sentMs: 0, e2eMs: 100 }), requestRecord({ concurrency: 2, sentMs: 5, e2eMs: 50, error: 'overloaded' })];
    expect(decodeJsonl(encodeJsonl(records, { gzip: true }))).toEqual(records);
    expect(decodeJsonl(encodeJsonl(records))).toEqual(records);
    expect(decodeJsonl(encodeJsonl([], { gzip: true }))).toEqual([]);
  });
});

describe('mergeLevel', () => {
  it('summarizes the union of every worker’s raw records (percentiles are not averaged)', async () => {
    const store = tmpStore();
    // Worker 0: 3 fast requests (10 ms/token); worker 1: 1 slow request (50 ms/token).
    const w0 = [0, 1, 2].map((i) => requestRecord({ concurrency: 4, worker: 0, seq: i, sentMs: i * 1000, e2eMs: 1000 }));
    const w1 = [requestRecord({ concurrency: 4, worker: 1, seq: 0, sentMs: 0, e2eMs: 5000 })];
    await store.putBytes(recordsKey('d', 'r', 4, 0), encodeJsonl(w0, { gzip: true }));
    await store.putBytes(recordsKey('d', 'r', 4, 1), encodeJsonl(w1, { gzip: true }));
    const merged = await mergeLevel(store, { deploymentId: 'd', runId: 'r', concurrency: 4, workers: 2, speedup: 1 });
    expect(merged).toEqual(summarizeLevel([...w0, ...w1], { concurrency: 4 }));
    expect(merged.requests).toBe(4);
    expect(merged.latencyMsPerToken.p50).toBe(10);
    // Averaging the workers' medians would have said 30 ms/token.
    expect(merged.latencyMsPerToken.p50).not.toBe((10 + 50) / 2);
    expect(await store.getJson(levelKey('d', 'r', 4))).toEqual(merged);
  });

  it('scales durations back by the speedup of a time-compressed endpoint', async () => {
    const store = tmpStore();
    await store.putBytes(recordsKey('d', 'r', 1, 0), encodeJsonl([requestRecord({ concurrency: 1, sentMs: 0, e2eMs: 100, tokens: 100 })], { gzip: true }));
    const merged = await mergeLevel(store, { deploymentId: 'd', runId: 'r', concurrency: 1, workers: 1, speedup: 30 });
    expect(merged.latencyMsPerToken.p50).toBeCloseTo(30);
  });

  it('fails naming the workers whose records are missing', async () => {
    const store = tmpStore();
    await store.putBytes(recordsKey('d', 'r', 8, 0), encodeJsonl([requestRecord({ concurrency: 8, sentMs: 0, e2eMs: 10 })], { gzip: true }));
    await expect(mergeLevel(store, { deploymentId: 'd', runId: 'r', concurrency: 8, workers: 3, speedup: 1 })).rejects.toThrow('worker(s) 1, 2 of 3');
  });
});

describe('checkRegression', () => {
  const sweep = (tokensPerS: number, msPerToken: number): SweepResult => ({
    schemaVersion: SWEEP_RESULT_VERSION,
    label: 'x',
    startedAt: `2026-01-0${Math.round(tokensPerS) % 9}T00:00:00Z`,
    target: { kind: 'sagemaker', address: 'e' },
    payload: { inputTokens: 256, outputTokens: 256 },
    levels: [level(1, msPerToken)],
    maxThroughput: { concurrency: 64, tokensPerS },
  });

  it('flags a max-throughput drop beyond the threshold', () => {
    const check = checkRegression(sweep(400, 33), sweep(500, 33), 10);
    expect(check.regressed).toBe(true);
    expect(check.throughputChangePct).toBeCloseTo(-20);
    expect(check.regressionPct).toBeCloseTo(20);
  });

  it('flags a ms/token rise at the lowest common level', () => {
    const check = checkRegression(sweep(500, 40), sweep(500, 33), 10);
    expect(check.regressed).toBe(true);
    expect(check.latencyChangePct).toBeCloseTo(21.2, 1);
  });

  it('passes small changes and a first run', () => {
    expect(checkRegression(sweep(480, 34), sweep(500, 33), 10).regressed).toBe(false);
    expect(checkRegression(sweep(480, 34), undefined, 10)).toMatchObject({ regressed: false, regressionPct: 0 });
  });
});
