import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { summarizeLevel } from '../../lib/results/summarize-level';
import { EXACT_SAMPLE_LIMIT } from '../../lib/results/sketch';
import { forEachTokenGap } from '../../lib/results/token-gaps';
import type { RequestRecord, SweepResult } from '../../lib/results/records';
import { runSweepCommand } from '../../loadtest/cli/sweep-command';
import { createPayloadSource } from '../../loadtest/payload';
import { readJsonl } from '../../loadtest/records/jsonl';
import { arrivalGaps } from '../../loadtest/runner/arrivals';
import { processSeed, splitLoad } from '../../loadtest/runner/process-shares';
import { runSweep } from '../../loadtest/sweep/run-sweep';
import { createTarget, parseTargetSpec } from '../../loadtest/targets';
import { startFaultServer, type FaultServer } from '../support/fault-server';

const sink = (): Writable => new Writable({ write: (_chunk, _encoding, callback) => callback() });
const stopRules = { invocationTimeoutMs: 30_000, maxErrorRate: 1, plateauGain: -Infinity };

describe('splitLoad', () => {
  it('splits workers, warm-up and request counts evenly and never gives a process nothing to do', () => {
    expect(splitLoad({ kind: 'closed', concurrency: 5, warmupRequests: 5, requests: 101 }, 2)).toEqual([
      { kind: 'closed', concurrency: 3, firstWorker: 0, warmupRequests: 3, requests: 51 },
      { kind: 'closed', concurrency: 2, firstWorker: 3, warmupRequests: 2, requests: 50 },
    ]);
    expect(splitLoad({ kind: 'closed', concurrency: 2, warmupRequests: 0 }, 4)).toHaveLength(2);
    const open = splitLoad({ kind: 'open', ratePerS: 9, arrival: 'constant', seed: 5, maxConcurrency: 2, warmupRequests: 0, speedup: 2 }, 3);
    // A cap of 2 in flight leaves room for 2 processes; constant arrivals interleave (1000 / (9 × 2) ms apart).
    expect(open.map((s) => (s.kind === 'open' ? [s.ratePerS, s.maxConcurrency, s.seed, s.phaseMs] : []))).toEqual([
      [4.5, 1, 5, 0],
      [4.5, 1, processSeed(5, 1), 1000 / 18],
    ]);
    expect(processSeed(5, 1)).not.toBe(processSeed(5, 2));
    expect(() => splitLoad({ kind: 'closed', concurrency: 1, warmupRequests: 0 }, 0)).toThrow(/processes: 0 must be an integer from 1 to 64/);
  });

  it('the CLI names --processes and its range', async () => {
    const flags = { target: 'tgi:http://127.0.0.1:1', concurrency: '1', requests: '1', inputTokens: '8', outputTokens: '4', timeout: '1', retries: '0', maxErrorRate: '1', out: join(tmpdir(), 'processes-flag-not-created') };
    for (const processes of ['0', '65', '1.5']) {
      await expect(runSweepCommand({ ...flags, processes }, { stdout: sink(), stderr: sink() })).rejects.toThrow(`--processes: '${processes}' is not a whole number from 1 to 64`);
    }
  });
});

describe('a level spread over 2 client processes (real child processes, loopback server)', () => {
  let server: FaultServer;
  let out: string;
  beforeAll(async () => (server = await startFaultServer({ delayMs: 1 })));
  afterAll(() => server.close());
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'processes-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  const filesOf = (level: number): Map<string, RequestRecord[]> =>
    new Map(readdirSync(join(out, 'records')).filter((f) => f.startsWith(`c-${level}-`)).map((f) => [f, readJsonl(join(out, 'records', f))]));

  it('closed loop (--processes 2): counts add up exactly, and the level equals the one-process summary of both files', async () => {
    const before = server.received['/generate_stream'] ?? 0;
    const sweep: SweepResult = await runSweepCommand(
      { target: `tgi:${server.url}`, concurrency: '4', requests: '400', warmup: '4', inputTokens: '16', outputTokens: '16', stream: true, timeout: '30', retries: '0', maxErrorRate: '1', out, processes: '2' },
      { stdout: sink(), stderr: sink() },
    );
    const level = sweep.levels[0];
    expect(level).toMatchObject({ concurrency: 4, requests: 400, ok: 400, outputTokens: 400 * 16 });
    expect((server.received['/generate_stream'] ?? 0) - before).toBe(404);
    // One file per process, nothing left under a temporary name.
    const files = filesOf(4);
    expect([...files.keys()].sort()).toEqual(['c-4-w0.jsonl', 'c-4-w1.jsonl']);
    const [w0, w1] = [files.get('c-4-w0.jsonl')!, files.get('c-4-w1.jsonl')!];
    expect([w0.length, w1.length]).toEqual([202, 202]);
    expect(new Set(w0.map((r) => r.worker))).toEqual(new Set([0, 1]));
    expect(new Set(w1.map((r) => r.worker))).toEqual(new Set([2, 3]));
    expect(w0[0].clockOriginMs).not.toBe(w1[0].clockOriginMs);
    // The merged ITL sketch is past the exact limit: its percentiles come from the merged HDR histograms.
    const gaps = [...w0, ...w1].filter((r) => r.warmup !== true).reduce((n, r) => n + forEachTokenGap(r, () => undefined), 0);
    expect(gaps).toBeGreaterThan(EXACT_SAMPLE_LIMIT);
    const { client, ...merged } = level;
    expect(merged).toEqual(summarizeLevel([...w0, ...w1], { concurrency: 4 }));
    expect(merged.steadyThroughputTokensPerS).toBeGreaterThan(0);
    // The verdict was taken in each process and merged: figures of a client process, not of this one.
    expect(client).toMatchObject({ verdict: expect.stringMatching(/^(ok|client-bound)$/), cpuPct: expect.any(Number), eventLoopDelayMsP99: expect.any(Number) });
  });

  it('an interrupted level: every process stops, its records are set aside, the sweep ends aborted', async () => {
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 4 });
    const payload = { inputTokens: 16, outputTokens: 4 };
    const controller = new AbortController();
    const seen: number[] = [];
    try {
      const sweep = await runSweep({
        target,
        payload: createPayloadSource(payload),
        levels: [4],
        durationS: 60,
        outDir: out,
        stopRules,
        label: 'aborted',
        signal: controller.signal,
        onProgress: (measured) => {
          seen.push(measured);
          if (measured > 200) controller.abort();
        },
        processes: { count: 2, workload: { target: parseTargetSpec(`tgi:${server.url}`), targetOptions: { maxSockets: 4 }, payload } },
      });
      expect(sweep.stopReason?.rule).toBe('aborted');
      expect(sweep.levels).toEqual([]);
      expect(Math.max(...seen)).toBeGreaterThan(200);
      const names = readdirSync(join(out, 'records')).sort();
      expect(names).toHaveLength(2);
      names.forEach((name, i) => expect(name).toMatch(new RegExp(`^c-4-w${i}\\.interrupted-\\d+\\.jsonl$`)));
    } finally {
      await target.close();
    }
  });

  it('a client process that cannot start fails the sweep with its error, naming the field', async () => {
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 2 });
    const payload = { inputTokens: 16, outputTokens: 4 };
    try {
      const failing = runSweep({
        target,
        payload: createPayloadSource(payload),
        levels: [2],
        requests: 4,
        outDir: out,
        stopRules,
        label: 'failing',
        processes: { count: 2, workload: { target: parseTargetSpec(`openai:${server.url}`), targetOptions: { maxSockets: 2, api: 'generate' }, payload } },
      });
      await expect(failing).rejects.toThrow(/^api: an OpenAI-compatible server has no generate API/);
      expect(readdirSync(out)).not.toContain('levels');
    } finally {
      await target.close();
    }
  });

  it('open loop: each process sends its share of the rate on its own seeded arrivals', async () => {
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 8 });
    const payload = { inputTokens: 16, outputTokens: 4, seed: 9 };
    try {
      const sweep = await runSweep({
        target,
        payload: createPayloadSource(payload),
        levels: [],
        openLoop: { rates: [200], arrival: 'poisson', seed: 3 },
        requests: 60,
        outDir: out,
        stopRules,
        label: 'open',
        processes: { count: 2, workload: { target: parseTargetSpec(`tgi:${server.url}`), targetOptions: { maxSockets: 8 }, payload } },
      });
      const level = sweep.levels[0];
      expect(level).toMatchObject({ offeredRatePerS: 200, requests: 60, ok: 60 });
      // Processes side by side: the level's peak in flight is the sum of theirs (an upper bound, as for the pipeline's workers).
      expect(level.openLoop).toEqual({ arrival: 'poisson', waitedForCap: 0, peakInFlight: expect.any(Number) });
      expect(level.openLoop?.peakInFlight).toBeGreaterThanOrEqual(2);
      const files = [...filesOf(level.concurrency).values()];
      expect(files.map((f) => f.length)).toEqual([30, 30]);
      // Process i's arrivals are exactly the gaps of rate 100/s drawn from processSeed(3, i).
      files.forEach((records, i) => {
        const scheduled = records.map((r) => r.scheduledMs).sort((a, b) => a - b);
        const next = arrivalGaps({ ratePerS: 100, process: 'poisson', seed: processSeed(3, i) });
        const expected = Array.from({ length: 29 }, next);
        scheduled.slice(1).forEach((t, j) => expect(t - scheduled[j]).toBeCloseTo(expected[j], 6));
      });
    } finally {
      await target.close();
    }
  });
});
