import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLocalEndpoint } from '../../loadtest/local';
import { runOffline, type OfflineOptions } from '../../loadtest/offline/run-offline';
import type { SynthesizedFleet } from '../../loadtest/offline/synth';
import type { WorkerItem } from '../../lib/benchmark/pipeline-state';
import type { SweepResult } from '../../lib/results/records';
import { synthesizeStudyPipeline } from './fixture';

/**
 * End-to-end: the synthesized sweep state machine executed by aws-local-stepfunctions, every
 * Lambda task bound to the real handler, against a time-compressed local endpoint twin of
 * llama-2-7b on ml.g5.2xlarge. Windows are short and the speedup high so each run takes seconds.
 */
let synthesized: SynthesizedFleet;
beforeAll(() => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  synthesized = synthesizeStudyPipeline();
});

// plateauGain 0: short windows are noisy; only a falling throughput stops these sweeps (plateau is unit-tested).
const FAST = { durationS: 30, warmupRequests: 1, concurrency: [1, 2, 4, 8, 16], plateauGain: 0 } as const;

function options(overrides: Partial<OfflineOptions> = {}): OfflineOptions {
  return { synthesized, speedup: 60, outDir: mkdtempSync(path.join(tmpdir(), 'llm-bench-e2e-')), benchmark: FAST, ...overrides };
}

function runDir(outDir: string, deploymentId: string, runId: string): string {
  return path.join(outDir, 'runs', deploymentId, runId);
}

function files(dir: string, sub: string): string[] {
  return existsSync(path.join(dir, sub)) ? readdirSync(path.join(dir, sub)).sort() : [];
}

describe('runOffline (synthesized state machine, local endpoint)', () => {
  it('happy path: measures every level over two workers and writes every report file', async () => {
    const opts = options({ benchmark: { ...FAST, workers: 2 }, runId: 'happy' });
    const levels: number[] = [];
    const twins: (string | undefined)[] = [];
    const result = await runOffline({ ...opts, onProgress: (e) => e.kind === 'level' && levels.push(e.level.concurrency) && twins.push(e.level.twin) });

    expect(result.error).toBeUndefined();
    expect(result.succeeded).toBe(true);
    expect(result.sweep?.stopReason?.rule).toBe('completed');
    expect(levels).toEqual([1, 2, 4, 8, 16]);
    for (const file of Object.values(result.files)) expect(existsSync(file)).toBe(true);
    const sweep = JSON.parse(readFileSync(result.files.json, 'utf8')) as SweepResult;
    expect(sweep.levels.map((l) => l.concurrency)).toEqual([1, 2, 4, 8, 16]);
    expect(sweep.stopReason?.rule).toBe('completed');
    expect(sweep.failure).toBeUndefined();
    expect(sweep.maxThroughput?.tokensPerS).toBeGreaterThan(0);
    expect(sweep.knee).toBeDefined();
    expect(sweep.target).toMatchObject({ kind: 'sagemaker', address: synthesized.fleet.deployments[0].endpointName, speedup: 60 });
    for (const l of sweep.levels) {
      const errors = Object.values(l.errors).reduce((a, b) => a + (b ?? 0), 0);
      expect(l.requests).toBe(l.ok + errors);
      expect(l.ok).toBeGreaterThan(0);
      // The workers read the twin's lag over their windows (GET /info); the merged level carries its verdict.
      expect(l.twin).toMatchObject({ schemaVersion: 1, verdict: expect.stringMatching(/^(ok|lagging)$/) });
      expect(l.twin?.samples).toBeGreaterThan(0);
    }
    expect(twins).toEqual(sweep.levels.map((l) => l.twin?.verdict));
    // Throughput rises with concurrency on one A10G up to 16 (published: 30 → 343 tokens/s).
    expect(sweep.levels[4].throughputTokensPerS).toBeGreaterThan(3 * sweep.levels[0].throughputTokensPerS);
    // Figures are scaled back to real time: c=1 of Llama 2 7B on an A10G is ~33 ms/token (published).
    expect(sweep.levels[0].latencyMsPerToken.p50).toBeGreaterThan(20);
    expect(sweep.levels[0].latencyMsPerToken.p50).toBeLessThan(80);
    const dir = runDir(opts.outDir as string, result.deploymentId, 'happy');
    // One raw-records file per worker: c=1 runs on one worker, the others on two.
    expect(files(dir, 'records')).toEqual([
      'c-1-w0.jsonl.gz', 'c-16-w0.jsonl.gz', 'c-16-w1.jsonl.gz', 'c-2-w0.jsonl.gz', 'c-2-w1.jsonl.gz',
      'c-4-w0.jsonl.gz', 'c-4-w1.jsonl.gz', 'c-8-w0.jsonl.gz', 'c-8-w1.jsonl.gz',
    ]);
    expect(readFileSync(result.files.html, 'utf8')).toContain('<svg');
    expect(JSON.parse(readFileSync(path.join(dir, 'workers', 'c-2-w1.json'), 'utf8')).twin).toMatchObject({ lagMsP99: expect.any(Number), lagMsMax: expect.any(Number) });
    expect(existsSync(path.join(opts.outDir as string, 'latest', result.deploymentId, 'sweep.json'))).toBe(true);
    const emf = readFileSync(path.join(opts.outDir as string, 'metrics', `${result.deploymentId}-happy.emf.jsonl`), 'utf8').trim().split('\n');
    expect(emf).toHaveLength(6);
    expect(JSON.parse(emf[0])).toMatchObject({ Deployment: result.deploymentId, Concurrency: '1' });
  });

  it('a worker that throws ends in a partial report naming the failed step', async () => {
    const result = await runOffline(
      options({
        runId: 'worker-throws',
        beforeWorker: (item: WorkerItem) => {
          if (item.phase === 'measure' && item.concurrency === 4) throw new Error('injected worker crash');
        },
      }),
    );
    expect(result.succeeded).toBe(false);
    const sweep = JSON.parse(readFileSync(result.files.json, 'utf8')) as SweepResult;
    expect(sweep.failure?.step).toBe('RunLevel');
    expect(sweep.failure?.message).toContain('injected worker crash');
    expect(sweep.levels.map((l) => l.concurrency)).toEqual([1, 2]);
    expect(readFileSync(result.files.markdown, 'utf8').length).toBeGreaterThan(0);
    // A failed run never replaces latest/{deployment}/'s report files; its last-run pointer says it failed.
    const latest = path.join(path.dirname(path.dirname(path.dirname(result.files.json))), '..', 'latest', result.deploymentId);
    expect(existsSync(path.join(latest, 'sweep.json'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(latest, 'last-run.json'), 'utf8'))).toMatchObject({ runId: 'worker-throws', failed: true });
  });

  it('a level whose requests time out ends the sweep with stopReason timeout', async () => {
    // 22 s deadline: c=1 and c=2 finish in ~9 s, c=64 queues far past it (~34 s). Speedup 30 keeps
    // the 13 s margin at ~430 ms of wall time, well above event-loop lag on a busy 2-core machine.
    // Without client verdicts: 64 streams aborting at once, on a loaded machine, in the endpoint twin's own
    // process, can make the level client-bound, and stop rules take no evidence from such a level.
    const result = await runOffline(options({ runId: 'timeouts', speedup: 30, benchmark: { ...FAST, concurrency: [1, 2, 64, 128], timeoutS: 22 }, recordClient: false }));
    expect(result.succeeded).toBe(true);
    const sweep = result.sweep as SweepResult;
    expect(sweep.levels.every((l) => l.client === undefined)).toBe(true);
    expect(sweep.stopReason?.rule).toBe('timeout');
    expect(sweep.stopReason?.detail).toMatch(/hit the \d+ ms deadline at c=/);
    expect(sweep.levels.map((l) => l.concurrency)).toEqual([1, 2, 64]);
    expect(sweep.levels[2].timeouts).toBeGreaterThan(0);
    expect(sweep.levels[2].errors.timeout).toBe(sweep.levels[2].timeouts);
    expect(sweep.maxFeasibleConcurrency).toBe(2);
    expect(sweep.failure).toBeUndefined();
    // The report on disk says why it stopped and counts the timeouts of the last level.
    const markdown = readFileSync(result.files.markdown, 'utf8');
    expect(markdown).toContain('stopped early: timeout');
    expect(markdown).toContain(`| 64 | ${sweep.levels[2].requests} | ${sweep.levels[2].ok} | `);
  });

  it('resuming an interrupted run (same runId) measures nothing twice', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'llm-bench-resume-'));
    const first = await runOffline(
      options({
        outDir,
        runId: 'resumed',
        beforeWorker: (item: WorkerItem) => {
          if (item.phase === 'measure' && item.concurrency === 4) throw new Error('interrupted');
        },
      }),
    );
    expect(first.succeeded).toBe(false);
    const dir = runDir(outDir, first.deploymentId, 'resumed');
    const before = Object.fromEntries(files(dir, 'records').map((f) => [f, readFileSync(path.join(dir, 'records', f))]));
    expect(Object.keys(before)).toEqual(['c-1-w0.jsonl.gz', 'c-2-w0.jsonl.gz']);

    const measuredInResume: number[] = [];
    const second = await runOffline(
      options({ outDir, runId: 'resumed', beforeWorker: (item: WorkerItem) => void (item.phase === 'measure' && measuredInResume.push(item.concurrency)) }),
    );
    expect(second.succeeded).toBe(true);
    expect(measuredInResume).toEqual([4, 8, 16]);
    expect(files(dir, 'levels')).toEqual(['c-1.json', 'c-16.json', 'c-2.json', 'c-4.json', 'c-8.json']);
    expect(files(dir, 'records')).toHaveLength(5);
    for (const [file, bytes] of Object.entries(before)) expect(readFileSync(path.join(dir, 'records', file)).equals(bytes)).toBe(true);
    expect(second.sweep?.levels).toHaveLength(5);
    expect(second.sweep?.failure).toBeUndefined();
    expect(second.sweep?.startedAt).toBe(first.sweep?.startedAt);
  });

  it('a reused run id with other settings is refused naming the fields; --restart moves the old run aside', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'llm-bench-identity-'));
    const first = await runOffline(options({ outDir, runId: 'reused', benchmark: { ...FAST, concurrency: [1] } }));
    expect(first.succeeded).toBe(true);
    const other = options({ outDir, runId: 'reused', benchmark: { ...FAST, concurrency: [1, 2] } });
    await expect(runOffline(other)).rejects.toThrow(/^--run-id: run reused of .* holds a different run; it is not resumed\. Differing fields \(stored → requested\):\n {2}levels\.concurrency: \[1\] → \[1,2\]\n.*--restart/s);
    const dir = runDir(outDir, first.deploymentId, 'reused');
    expect(files(dir, 'levels')).toEqual(['c-1.json']);
    expect(existsSync(path.join(dir, 'run.lock'))).toBe(false);

    const restarted = await runOffline({ ...other, restart: true });
    expect(restarted.sweep?.levels.map((l) => l.concurrency)).toEqual([1, 2]);
    const aside = readdirSync(path.dirname(dir)).filter((name) => name.startsWith('reused-replaced-'));
    expect(aside).toHaveLength(1);
    expect(files(path.join(path.dirname(dir), aside[0]), 'levels')).toEqual(['c-1.json']);
    expect(existsSync(path.join(dir, 'run.lock'))).toBe(false);
  });

  it('--endpoint-url + --endpoint-name: drives an endpoint already running under another name', async () => {
    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', endpointName: 'served-elsewhere', speedup: 60 });
    try {
      const result = await runOffline(
        options({ endpointUrl: endpoint.url, endpointName: 'served-elsewhere', runId: 'external', benchmark: { ...FAST, concurrency: [1, 4] } }),
      );
      expect(result.error).toBeUndefined();
      expect(result.sweep?.levels.map((l) => l.concurrency)).toEqual([1, 4]);
      expect(result.sweep?.target).toMatchObject({ address: 'served-elsewhere', speedup: 60 });
      expect(result.sweep?.levels[1].ok).toBeGreaterThan(0);
      expect(result.sweep?.levels[1].throughputTokensPerS).toBeGreaterThan(result.sweep?.levels[0].throughputTokensPerS ?? Infinity);
      // A twin at --endpoint-url is found by its GET /info: its levels carry the twin verdict too.
      expect(result.sweep?.levels.every((l) => l.twin !== undefined)).toBe(true);
    } finally {
      await endpoint.close();
    }
  });

  it('rejects an unsafe run id before starting anything', async () => {
    await expect(runOffline(options({ runId: '../../etc' }))).rejects.toThrow("--run-id: '../../etc' is not a valid run id");
    await expect(runOffline(options({ endpointName: 'x' }))).rejects.toThrow('--endpoint-name');
  });
});
