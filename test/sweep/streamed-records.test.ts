import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LevelResult } from '../../lib/results/records';
import { summarizeLevel } from '../../lib/results/summarize-level';
import { createPayloadSource } from '../../loadtest/payload';
import { JSONL_BATCH_RECORDS, readJsonl } from '../../loadtest/records/jsonl';
import { runSweep, type RunSweepOptions } from '../../loadtest/sweep/run-sweep';
import { createTarget, parseTargetSpec, type Target } from '../../loadtest/targets';
import { startCpuBurner } from '../support/cpu-burner';
import { type FaultServer, startFaultServer } from '../support/fault-server';

const payload = createPayloadSource({ inputTokens: 8, outputTokens: 4 });
const stopRules = { invocationTimeoutMs: 5_000, maxErrorRate: 1, plateauGain: -Infinity };

describe('runSweep streams each level to disk (memory flat in request count)', () => {
  let outDir: string;
  let server: FaultServer;
  let target: Target;
  beforeEach(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'streamed-'));
    server = await startFaultServer({ delayMs: 0 });
    target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 4 });
  });
  afterEach(async () => {
    await target.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  });
  const recordsDir = (): string[] => readdirSync(join(outDir, 'records')).sort();
  const sweep = (extra: Partial<RunSweepOptions>): Promise<unknown> =>
    runSweep({ target, payload, levels: [4], outDir, warmupRequests: 4, stopRules, label: 'streamed', ...extra });

  it('writes records to the file while the level runs, keeps it under the level once measured, and summarizes it exactly', async () => {
    let completed = 0;
    let onDiskDuringLevel = -1;
    await sweep({
      requests: 2500,
      onRecord: () => {
        completed += 1;
        if (completed !== JSONL_BATCH_RECORDS + 10) return;
        // Mid-level: the first batch has left memory for a temporary file beside the level's name.
        const writing = recordsDir().filter((name) => name.startsWith('c-4-w0.jsonl.') && name.endsWith('.writing.tmp'));
        expect(writing).toHaveLength(1);
        onDiskDuringLevel = readFileSync(join(outDir, 'records', writing[0]), 'utf8').split('\n').filter(Boolean).length;
      },
    });
    expect(onDiskDuringLevel).toBe(JSONL_BATCH_RECORDS);
    expect(recordsDir()).toEqual(['c-4-w0.jsonl']);
    const records = readJsonl(join(outDir, 'records', 'c-4-w0.jsonl'));
    expect(records).toHaveLength(2504);
    const level = JSON.parse(readFileSync(join(outDir, 'levels', 'c-4.json'), 'utf8')) as LevelResult;
    const { client, ...summary } = level;
    expect(client).toBeDefined();
    // Accumulators plus the steady-window pass over the file give what a summary of every record in memory gives.
    expect(summary).toEqual(summarizeLevel(records, { concurrency: 4 }));
    expect(summary.steadyThroughputTokensPerS).toBeGreaterThan(0);
  });

  it('sets the records of a level cut short aside as interrupted records, under no level name', async () => {
    const controller = new AbortController();
    let completed = 0;
    await sweep({
      durationS: 60,
      signal: controller.signal,
      onRecord: () => {
        if (++completed === 1500) controller.abort();
      },
    });
    const names = recordsDir();
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^c-4-w0\.interrupted-\d+\.jsonl$/);
    expect(readJsonl(join(outDir, 'records', names[0])).length).toBeGreaterThanOrEqual(1500);
    expect(readdirSync(outDir)).not.toContain('levels');
  });
});

describe('the client verdict of a sweep level (one process, --processes 1)', () => {
  /** One open-loop level through runSweep; `starve` runs a CPU burner in the client's own event loop. */
  const level = async (starve: boolean): Promise<LevelResult> => {
    const outDir = mkdtempSync(join(tmpdir(), 'verdict-'));
    const server = await startFaultServer({ delayMs: 5 });
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 16 });
    const stopBurner = starve ? startCpuBurner() : undefined;
    try {
      const sweep = await runSweep({ target, payload, levels: [], openLoop: { rates: [50], arrival: 'poisson' }, durationS: 1.5, outDir, stopRules, label: 'verdict' });
      return sweep.levels[0];
    } finally {
      stopBurner?.();
      await target.close();
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    }
  };

  it('is client-bound for a starved client and ok for a normal one', async () => {
    const starved = await level(true);
    expect(starved.client?.verdict).toBe('client-bound');
    expect(starved.client?.reasons?.some((r) => r.startsWith('event-loop delay p99'))).toBe(true);
    // A shared machine can starve any one run: the normal client must be ok in one of three runs.
    let normal = await level(false);
    for (let i = 1; i < 3 && normal.client?.verdict !== 'ok'; i++) normal = await level(false);
    expect(normal.client?.verdict).toBe('ok');
    expect(normal.client!.eventLoopDelayMsP99).toBeLessThan(starved.client!.eventLoopDelayMsP99);
  });
});
