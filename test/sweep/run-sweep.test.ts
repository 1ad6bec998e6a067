import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createPayloadSource } from '../../loadtest/payload';
import { readJsonl } from '../../loadtest/records/jsonl';
import type { SweepResult } from '../../lib/results/records';
import { runSweep } from '../../loadtest/sweep/run-sweep';
import { createTarget, parseTargetSpec } from '../../loadtest/targets';
import { type FaultServer, startFaultServer } from '../support/fault-server';

const payload = createPayloadSource({ inputTokens: 8, outputTokens: 4 });
const stopRules = { invocationTimeoutMs: 2_000, maxErrorRate: 0.01, plateauGain: -Infinity };

describe('runSweep', () => {
  let outDir: string;
  let server: FaultServer;
  beforeEach(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'sweep-'));
    server = await startFaultServer({ delayMs: 10 });
  });
  afterEach(async () => {
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('writes every level, its records and sweep.json; the same sweep re-run skips measured levels; another is refused', async () => {
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 4 });
    const sweep = (levels: number[], extra: Partial<Parameters<typeof runSweep>[0]> = {}): ReturnType<typeof runSweep> =>
      runSweep({ target, payload, levels, outDir, requests: 6, warmupRequests: 1, stopRules, label: 'fault-server', ...extra });
    try {
      const first = await sweep([1, 2]);
      expect(first.levels.map((l) => l.concurrency)).toEqual([1, 2]);
      expect(server.received['/generate']).toBe(14);
      expect(readJsonl(join(outDir, 'records', 'c-2-w0.jsonl'))).toHaveLength(7);
      expect(existsSync(join(outDir, 'levels', 'c-1.json'))).toBe(true);
      expect(existsSync(join(outDir, 'run.lock'))).toBe(false);

      const seen: [number, boolean][] = [];
      const opened: boolean[] = [];
      const second = await sweep([1, 2], { onLevel: (l, resumed) => seen.push([l.concurrency, resumed]), onOpen: (run) => opened.push(run.resumed) });
      expect(opened).toEqual([true]);
      expect(seen).toEqual([
        [1, true],
        [2, true],
      ]);
      expect(server.received['/generate']).toBe(14);
      expect(second.startedAt).toBe(first.startedAt);
      expect(second.stopReason?.rule).toBe('completed');

      // Another level list is another run: refused before anything is sent, naming the field.
      await expect(sweep([1, 2, 4])).rejects.toThrow(/--out: folder '.*' holds a different run[\s\S]*levels\.levels: \[1,2\] → \[1,2,4\][\s\S]*--restart/);
      expect(server.received['/generate']).toBe(14);

      const third = await sweep([1, 2, 4], { restart: true, onOpen: (run) => opened.push(run.resumed) });
      expect(opened).toEqual([true, false]);
      expect(third.startedAt).not.toBe(first.startedAt);
      expect(server.received['/generate']).toBe(14 + 7 + 7 + 7);
      const onDisk = JSON.parse(readFileSync(join(outDir, 'sweep.json'), 'utf8')) as SweepResult;
      expect(onDisk.levels.map((l) => [l.concurrency, l.requests])).toEqual([
        [1, 6],
        [2, 6],
        [4, 6],
      ]);
      const aside = readdirSync(dirname(outDir)).filter((name) => name.startsWith(`${basename(outDir)}.replaced-`));
      expect(aside).toHaveLength(1);
      const old = JSON.parse(readFileSync(join(dirname(outDir), aside[0], 'sweep.json'), 'utf8')) as SweepResult;
      expect(old.levels.map((l) => l.concurrency)).toEqual([1, 2]);
      rmSync(join(dirname(outDir), aside[0]), { recursive: true, force: true });
    } finally {
      await target.close();
    }
  });

  it('stops a list sweep at the first level a stop rule rejects', async () => {
    await server.close();
    server = await startFaultServer({ delayMs: 10, maxConcurrentRequests: 2 });
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 8 });
    try {
      const sweep = await runSweep({ target, payload, levels: [1, 4, 8], outDir, requests: 12, stopRules, label: 'x' });
      expect(sweep.levels.map((l) => l.concurrency)).toEqual([1, 4]);
      expect(sweep.stopReason?.rule).toBe('error-rate');
      expect(sweep.stopReason?.detail).toMatch(/at c=4 \(overloaded \d+\)/);
    } finally {
      await target.close();
    }
  });

  it('finds the max feasible concurrency adaptively to one grid level: 1, 4, a jump, then refinement at grid levels', async () => {
    await server.close();
    server = await startFaultServer({ delayMs: 10, maxConcurrentRequests: 5 });
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 16 });
    const order: number[] = [];
    try {
      const sweep = await runSweep({
        target,
        payload,
        levels: 'auto',
        maxConcurrency: 16,
        outDir,
        requests: 12,
        stopRules,
        label: 'auto',
        onLevelStart: (c) => order.push(c),
      });
      // 1, then ×4; with no latency growth the search jumps (to the cap, 16, or wherever the latency line
      // points); the server rejects over 5 in flight, so levels above 4 fail and the search refines at grid
      // levels until the first bad level is 8, one grid level above the last good one, 4.
      expect(order.slice(0, 2)).toEqual([1, 4]);
      expect(order.every((c) => [1, 4, 8, 16].includes(c))).toBe(true);
      expect(order).toContain(8);
      expect(sweep.maxFeasibleConcurrency).toBe(4);
      expect(sweep.cost?.levelSeconds).toBeCloseTo(sweep.levels.reduce((sum, l) => sum + (l.levelSeconds ?? 0), 0), 9);
      expect(sweep.cost?.levelSeconds).toBeGreaterThan(0);
      expect(sweep.stopReason?.rule).toBe('error-rate');
      expect(sweep.stopReason?.detail).toMatch(/at c=8/);
    } finally {
      await target.close();
    }
  });
});
