import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPayloadSource } from '../../loadtest/payload';
import { checkRegression } from '../../loadtest/pipeline/regression';
import { readJsonl } from '../../loadtest/records/jsonl';
import type { RequestRecord } from '../../lib/results/records';
import { runSweep } from '../../loadtest/sweep/run-sweep';
import { rateLevelKey } from '../../lib/results/level-key';
import { createTarget, parseTargetSpec } from '../../loadtest/targets';
import { type FaultServer, startFaultServer } from '../support/fault-server';

describe('--repeat against a loopback TGI server', () => {
  let outDir: string;
  let server: FaultServer;
  beforeEach(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'repeat-'));
    server = await startFaultServer({ delayMs: 5 });
  });
  afterEach(async () => {
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('measures each level three times, keeps every repeat in the records and gives a CI per level the regression check uses', async () => {
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 2 });
    try {
      const sweep = await runSweep({
        target,
        payload: createPayloadSource({ inputTokens: 8, outputTokens: 4 }),
        levels: [1, 2],
        outDir,
        requests: 8,
        warmupRequests: 1,
        repeat: 3,
        stopRules: { invocationTimeoutMs: 2_000, maxErrorRate: 0.01, plateauGain: -Infinity },
        label: 'repeat',
      });
      for (const level of sweep.levels) {
        expect(level.requests).toBe(24);
        expect(level.repeats?.n).toBe(3);
        expect(level.repeats?.throughputTokensPerS.values).toHaveLength(3);
        expect(level.repeats?.throughputTokensPerS.halfWidth95).toBeGreaterThan(0);
        expect(level.repeats?.msPerTokenP50.n).toBe(3);
        const records = readJsonl(join(outDir, 'records', `c-${level.concurrency}-w0.jsonl`)) as RequestRecord[];
        expect(records).toHaveLength(27); // 3 × (1 warm-up + 8)
        expect(records.map((r) => r.repeat ?? 0).filter((r, i, all) => all.indexOf(r) === i)).toEqual([0, 1, 2]);
      }
      expect(server.received['/generate']).toBe(54);
      // The same run against itself: every value inside its own interval.
      const check = checkRegression(sweep, sweep, 0);
      expect(check).toMatchObject({ regressed: false, throughputMethod: 'interval', latencyMethod: 'interval' });
    } finally {
      await target.close();
    }
  });

  it('repeats an open-loop level: the pooled level keeps its offered rate, load and goodput, and a CI over both runs', async () => {
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 4 });
    try {
      const sweep = await runSweep({
        target,
        payload: createPayloadSource({ inputTokens: 8, outputTokens: 4 }),
        levels: [],
        openLoop: { rates: [50], arrival: 'constant', maxConcurrency: 4 },
        slo: { e2eMs: 10_000 },
        outDir,
        requests: 6,
        repeat: 2,
        stopRules: { invocationTimeoutMs: 2_000, maxErrorRate: 0.01, plateauGain: -Infinity },
        label: 'open-loop repeat',
      });
      expect(sweep.levels).toHaveLength(1);
      const level = sweep.levels[0];
      expect(level.concurrency).toBe(rateLevelKey(50));
      expect(level).toMatchObject({ requests: 12, ok: 12, offeredRatePerS: 50, openLoop: { arrival: 'constant', maxConcurrency: 4 } });
      expect(level.openLoop?.peakInFlight).toBeGreaterThanOrEqual(1);
      expect(level.openLoop?.peakInFlight).toBeLessThanOrEqual(4);
      // Every request meets a 10 s end-to-end SLO against a 5 ms server.
      expect(level.goodput?.attainment).toBe(1);
      expect(level.repeats?.n).toBe(2);
      expect(level.repeats?.throughputTokensPerS.values).toHaveLength(2);
      expect(level.client?.verdict).toMatch(/^(ok|client-bound)$/);
      const records = readJsonl(join(outDir, 'records', `c-${level.concurrency}-w0.jsonl`)) as RequestRecord[];
      expect(records).toHaveLength(12);
      expect(records.filter((r) => (r.repeat ?? 0) === 1)).toHaveLength(6);
    } finally {
      await target.close();
    }
  });

  it('refuses a repeat count below 1', async () => {
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 1 });
    try {
      await expect(
        runSweep({
          target,
          payload: createPayloadSource({ inputTokens: 8, outputTokens: 4 }),
          levels: [1],
          outDir,
          requests: 2,
          repeat: 0,
          stopRules: { invocationTimeoutMs: 2_000, maxErrorRate: 0.01, plateauGain: -Infinity },
          label: 'repeat',
        }),
      ).rejects.toThrow(/repeat.*0 must be an integer ≥ 1/);
    } finally {
      await target.close();
    }
  });
});
