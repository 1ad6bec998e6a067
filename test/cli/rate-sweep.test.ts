import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweepCommand, type SweepFlags } from '../../loadtest/cli/sweep-command';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import type { SweepResult } from '../../lib/results/records';
import { collector } from '../support/collector';


const DEFAULTS = { inputTokens: '64', outputTokens: '64', timeout: '60', retries: '0', maxErrorRate: '0.01' };

describe('llm-bench sweep --rate (open loop)', () => {
  let endpoint: LocalEndpoint;
  let out: string;
  beforeAll(async () => {
    // Speedup 25, not more: the client measures wall time × speedup, so a timer late by 1 ms on a busy
    // CI box reads as 25 ms of endpoint time; at 50 the itl=100 SLO (TPOT ≈ 30 ms here) failed
    // requests that the endpoint served in time.
    endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: 25 });
  });
  afterAll(() => endpoint.close());
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'rate-sweep-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('--rate 0.5,1,2 --arrival poisson --slo ttft=2000,itl=100 writes levels with offered and achieved rates (within 10 %) and goodput', async () => {
    const stderr = collector();
    const flags: SweepFlags = {
      ...DEFAULTS,
      target: `tgi:${endpoint.url}`,
      rate: '0.5,1,2',
      arrival: 'poisson',
      slo: 'ttft=2000,itl=100',
      stream: true,
      duration: '240',
      seed: '1',
      out,
    };
    const sweep = await runSweepCommand(flags, { stdout: collector(), stderr });
    const stored = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as SweepResult | SweepResult[];
    const levels = (Array.isArray(stored) ? stored[0] : stored).levels;
    expect(levels).toEqual(sweep.levels);
    expect(levels.map((l) => [l.concurrency, l.offeredRatePerS])).toEqual([
      [500, 0.5],
      [1000, 1],
      [2000, 2],
    ]);
    for (const level of levels) {
      // Below saturation (a g5.2xlarge serves Llama 2 7B at 2 requests/s of 64 tokens with a few in flight).
      expect(level.errors).toEqual({});
      expect(Math.abs(level.achievedRatePerS! / level.offeredRatePerS! - 1)).toBeLessThan(0.1);
      expect(level.requests).toBeGreaterThanOrEqual(Math.floor(level.offeredRatePerS! * 240 * 0.9));
      expect(level.openLoop).toMatchObject({ arrival: 'poisson', waitedForCap: 0 });
      expect(level.slo).toEqual({ ttftMs: 2000, itlMs: 100 });
      expect(level.goodput!.attainment).toBeGreaterThan(0.9);
      expect(level.goodput!.tokensPerS).toBeLessThanOrEqual(level.throughputTokensPerS);
      expect(level.goodput!.tokensPerS).toBeGreaterThan(0);
      expect(level.itlMs).toBeDefined();
      expect(level.tpotMs).toBeDefined();
      expect(level.client).toBeDefined();
    }
    expect(stderr.text).toMatch(/^0\.5 req\/s \(achieved [\d.]+ req\/s\): \d+ requests/m);
    expect(sweep.stopReason?.rule).toBe('completed');
  });

  it.each([
    [{ rate: '1', concurrency: '4' }, /^--rate: give --rate \(open loop\) or --concurrency \(closed loop\), not both/],
    [{ rate: '1,1' }, /^--rate: '1,1' lists a rate twice/],
    [{ rate: '1', arrival: 'uniform' }, /^--arrival: 'uniform' is not one of poisson, gamma, constant/],
    [{ rate: '1', burstiness: '2' }, /^--burstiness: applies to --arrival gamma only/],
    [{ arrival: 'gamma' }, /^--arrival: applies to open-loop sweeps only: give --rate/],
    [{ rate: '1', slo: 'ttft=100' }, /^--slo: ttft and itl are measured on streamed responses only: add --stream/],
    [{ rate: '1', slo: 'p99=3' }, /^--slo: unknown SLO 'p99'/],
    [{ rate: '1', minSloAttainment: '0.9' }, /^--min-slo-attainment: needs --slo/],
  ])('refuses bad open-loop flags naming the flag (%j)', async (bad, message) => {
    await expect(runSweepCommand({ ...DEFAULTS, target: `tgi:${endpoint.url}`, requests: '2', out, ...bad }, { stdout: collector(), stderr: collector() })).rejects.toThrow(message);
  });
});
