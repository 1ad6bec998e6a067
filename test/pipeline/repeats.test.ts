import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { benchmarkInputOf } from '../../lib/benchmark/deployment-input';
import { BenchmarkSchema } from '../../lib/fleet/schema';
import { clientVerdict } from '../../lib/results/client-verdict';
import type { LevelResult, RequestRecord } from '../../lib/results/records';
import { decideNext } from '../../loadtest/pipeline/decide-next';
import { levelKey, parseRecordsKey, pipelineRunKeys, recordsKey } from '../../loadtest/pipeline/layout';
import { LocalFolderStore } from '../../loadtest/pipeline/local-store';
import { mergeRepeat } from '../../loadtest/pipeline/merge-worker-records';
import { RunFiles } from '../../loadtest/pipeline/run-files';
import { WORKER_RUN_VERSION } from '../../loadtest/pipeline/worker-run';
import { encodeJsonl } from '../../loadtest/records/jsonl';
import { DEPLOYMENT, level, requestRecord } from './records-fixture';

const REPEATED = { ...DEPLOYMENT, benchmark: { ...DEPLOYMENT.benchmark, concurrency: [1, 2], repeat: 2, workers: 2 } };

describe('fleet benchmark.repeat and benchmark.minCompletionsPerSlot', () => {
  it('the schema takes whole numbers (repeat ≥ 1, minimum ≥ 0) and names the field otherwise', () => {
    expect(BenchmarkSchema.safeParse({ repeat: 3, minCompletionsPerSlot: 0 }).success).toBe(true);
    const paths = (input: unknown): string[] => {
      const result = BenchmarkSchema.safeParse(input);
      return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths({ repeat: 0 })).toEqual(['repeat']);
    expect(paths({ repeat: 1.5 })).toEqual(['repeat']);
    expect(paths({ minCompletionsPerSlot: -1 })).toEqual(['minCompletionsPerSlot']);
  });

  it('the state machine carries them only when set (definitions without them unchanged)', () => {
    expect(Object.keys(benchmarkInputOf(DEPLOYMENT.benchmark))).not.toEqual(expect.arrayContaining(['repeat']));
    expect(Object.keys(benchmarkInputOf(DEPLOYMENT.benchmark))).not.toEqual(expect.arrayContaining(['minCompletionsPerSlot']));
    expect(benchmarkInputOf({ ...DEPLOYMENT.benchmark, repeat: 3, minCompletionsPerSlot: 5 })).toMatchObject({ repeat: 3, minCompletionsPerSlot: 5 });
  });
});

describe('layout of a repeated level', () => {
  it('repeat 0 keeps the single-run key; later repeats and the workers’ measures get their own', () => {
    expect(recordsKey('d', 'r', 4, 1)).toBe('runs/d/r/records/c-4-w1.jsonl.gz');
    expect(recordsKey('d', 'r', 4, 1, 0)).toBe('runs/d/r/records/c-4-w1.jsonl.gz');
    expect(recordsKey('d', 'r', 4, 1, 2)).toBe('runs/d/r/records/c-4-w1-r2.jsonl.gz');
    expect(parseRecordsKey('runs/d/r/records/c-4-w1-r2.jsonl.gz')).toEqual({ concurrency: 4, worker: 1, repeat: 2 });
    expect(parseRecordsKey('records/c-4-w0.jsonl')).toEqual({ concurrency: 4, worker: 0, repeat: 0 });
    expect(parseRecordsKey('records/c-4-w0-r1.interrupted-5.jsonl')).toBeUndefined();
    expect(pipelineRunKeys('d', 'r').workerRun(4, 1, 2)).toBe('runs/d/r/workers/c-4-w1-r2.json');
    expect(pipelineRunKeys('d', 'r').workerRun(4, 1, 0)).toBe('runs/d/r/workers/c-4-w1.json');
  });
});

describe('decide-next with benchmark.repeat', () => {
  const decide = (measured: LevelResult[], pendingRepeat?: { concurrency: number; repeat: number }) =>
    decideNext({ deployment: REPEATED, runId: 'r', measured, nowEpochMs: 1_000, startLeadMs: 0, ...(pendingRepeat ? { pendingRepeat } : {}) });

  it('measures a level again while its repeats are not all merged, then moves on', () => {
    const first = decide([]);
    expect(first).toMatchObject({ done: false, concurrency: 1 });
    expect(first.repeat).toBeUndefined();
    expect(first.workers.map((w) => w.repeat)).toEqual([undefined]);
    const second = decide([], { concurrency: 1, repeat: 0 });
    expect(second).toMatchObject({ done: false, concurrency: 1, repeat: 1 });
    expect(second.workers.map((w) => w.repeat)).toEqual([1]);
    // Once written (its last repeat merged), the level is measured: the sweep goes on.
    expect(decide([level(1, 20)], { concurrency: 1, repeat: 1 })).toMatchObject({ done: false, concurrency: 2 });
    expect(decide([level(1, 20)], { concurrency: 1, repeat: 0 })).toMatchObject({ done: false, concurrency: 2 });
  });

  it('closed-loop workers carry the window rule: the setting, else the CLI default (3)', () => {
    expect(decide([]).workers.map((w) => w.minCompletionsPerSlot)).toEqual([3]);
    const set = decideNext({ deployment: { ...REPEATED, benchmark: { ...REPEATED.benchmark, minCompletionsPerSlot: 0 } }, runId: 'r', measured: [], nowEpochMs: 0, startLeadMs: 0 });
    expect(set.workers.map((w) => w.minCompletionsPerSlot)).toEqual([0]);
  });
});

describe('mergeRepeat: a repeated level over two workers', () => {
  const ok = clientVerdict({ sendLagMsP99: 1, eventLoopDelayMsP99: 2, cpuPct: 30 });
  const bound = clientVerdict({ sendLagMsP99: 1, eventLoopDelayMsP99: 2, cpuPct: 97 });
  /** Worker w's records of repeat r: 3 requests each, repeat 1 twice as slow. */
  const recordsOf = (worker: number, repeat: number): RequestRecord[] =>
    [0, 1, 2].map((seq) => ({
      ...requestRecord({ concurrency: 2, worker: worker * 100000, seq, sentMs: 20_000 * repeat + seq * 1000 * (repeat + 1), e2eMs: 1000 * (repeat + 1), tokens: 100 }),
      ...(repeat > 0 ? { repeat } : {}),
    }));

  async function writeWorker(store: LocalFolderStore, worker: number, repeat: number, client = ok): Promise<void> {
    await store.putBytes(recordsKey('d', 'r', 2, worker, repeat), encodeJsonl(recordsOf(worker, repeat), { gzip: true }));
    await new RunFiles(store, pipelineRunKeys('d', 'r')).putWorkerRun({ schemaVersion: WORKER_RUN_VERSION, concurrency: 2, worker, repeat, requests: 3, ok: 3, slots: 1, client });
  }
  const input = { deploymentId: 'd', runId: 'r', concurrency: 2, workers: 2, speedup: 1, repeats: 2, minCompletionsPerSlot: 3 };

  it('writes the level after its last repeat: pooled records, an interval over the repeats, the worst worker’s client', async () => {
    const store = new LocalFolderStore(mkdtempSync(path.join(tmpdir(), 'repeats-')));
    await writeWorker(store, 0, 0);
    await writeWorker(store, 1, 0);
    const first = await mergeRepeat(store, { ...input, repeat: 0 });
    expect(first.complete).toBe(false);
    expect(first.level.requests).toBe(6);
    expect(first.completions).toEqual({ completionsPerSlot: 3, minCompletionsPerSlot: 3, met: true });
    expect(await store.exists(levelKey('d', 'r', 2))).toBe(false);

    await writeWorker(store, 0, 1, bound);
    await expect(mergeRepeat(store, { ...input, repeat: 1 })).rejects.toThrow('level c=2 repeat 1: no records from worker(s) 1 of 2');
    await writeWorker(store, 1, 1);
    const last = await mergeRepeat(store, { ...input, repeat: 1 });
    expect(last.complete).toBe(true);
    const stored = await store.getJson<LevelResult>(levelKey('d', 'r', 2));
    expect(stored).toEqual(last.level);
    expect(stored?.requests).toBe(12);
    // Repeat 0: 6 × 100 tokens over 3 s; repeat 1: over 6 s.
    expect(stored?.repeats?.throughputTokensPerS.values).toEqual([200, 100]);
    expect(stored?.repeats?.throughputTokensPerS.halfWidth95).toBeCloseTo(635.3, 1);
    expect(stored?.client).toMatchObject({ verdict: 'client-bound', cpuPct: 97 });
  });

  it('refuses to pool when some workers wrote their client measures and others did not', async () => {
    const store = new LocalFolderStore(mkdtempSync(path.join(tmpdir(), 'repeats-')));
    await writeWorker(store, 0, 0);
    await store.putBytes(recordsKey('d', 'r', 2, 1), encodeJsonl(recordsOf(1, 0), { gzip: true }));
    await expect(mergeRepeat(store, { ...input, repeats: 1 })).rejects.toThrow('level c=2: no client measures (workers/) from worker(s) 1 of 2');
  });

  it('judges a closed-loop level cut at its cap below the minimum', async () => {
    const store = new LocalFolderStore(mkdtempSync(path.join(tmpdir(), 'repeats-')));
    await writeWorker(store, 0, 0);
    await writeWorker(store, 1, 0);
    const merged = await mergeRepeat(store, { ...input, repeats: 1, minCompletionsPerSlot: 5 });
    expect(merged.completions).toEqual({ completionsPerSlot: 3, minCompletionsPerSlot: 5, met: false });
  });
});
