import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runOffline } from '../../loadtest/offline/run-offline';
import type { SynthesizedFleet } from '../../loadtest/offline/synth';
import { checkRegression } from '../../loadtest/pipeline/regression';
import { checkRunFolder } from '../../loadtest/pipeline/run-consistency';
import { synthesizeStudyPipeline } from './fixture';

/**
 * The CLI's repeats, window rule and open-loop level through the synthesized state machine, executed
 * locally against a time-compressed twin (windows of 20-30 s at speedup 60: under half a second each).
 */
let synthesized: SynthesizedFleet;
beforeAll(() => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  synthesized = synthesizeStudyPipeline();
});

const files = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

describe('the pipeline on a par with the CLI (state machine run locally)', () => {
  it('benchmark.repeat 2: each level measured twice, pooled, with a 95 % interval the regression check uses', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'parity-repeat-'));
    const benchmark = { durationS: 30, warmupRequests: 1, concurrency: [1, 4], plateauGain: 0, workers: 2, repeat: 2 };
    const levels: number[] = [];
    const starts: number[] = [];
    const first = await runOffline({
      synthesized,
      speedup: 60,
      outDir,
      benchmark,
      runId: 'first',
      onProgress: (e) => (e.kind === 'level' ? levels.push(e.level.concurrency) : e.kind === 'level-start' ? starts.push(e.concurrency) : undefined),
    });
    expect(first.error).toBeUndefined();
    // A repeat before a level's last is not a level: progress shows each level once.
    expect(levels).toEqual([1, 4]);
    expect(starts).toEqual([1, 4]);
    const sweep = first.sweep!;
    expect(sweep.levels.map((l) => l.concurrency)).toEqual([1, 4]);
    for (const level of sweep.levels) {
      expect(level.repeats?.n).toBe(2);
      const { throughputTokensPerS: t } = level.repeats!;
      expect(t.values).toHaveLength(2);
      expect(t.mean).toBeCloseTo((t.values[0] + t.values[1]) / 2, 9);
      // t(0.975, 1) × |a − b| / 2: the interval of two values.
      expect(t.halfWidth95).toBeCloseTo((12.706 * Math.abs(t.values[0] - t.values[1])) / 2, 6);
      expect(level.repeats?.msPerTokenP50.n).toBe(2);
      expect(level.client?.verdict).toMatch(/^(ok|client-bound)$/);
      // Every window was extended to 3 completions per stream (the CLI's default).
      expect(level.requests).toBeGreaterThanOrEqual(2 * 3 * level.concurrency);
    }
    const run = path.join(outDir, 'runs', first.deploymentId, 'first');
    expect(files(path.join(run, 'records'))).toEqual([
      'c-1-w0-r1.jsonl.gz', 'c-1-w0.jsonl.gz', 'c-4-w0-r1.jsonl.gz', 'c-4-w0.jsonl.gz', 'c-4-w1-r1.jsonl.gz', 'c-4-w1.jsonl.gz',
    ]);
    expect(files(path.join(run, 'workers'))).toEqual(['c-1-w0-r1.json', 'c-1-w0.json', 'c-4-w0-r1.json', 'c-4-w0.json', 'c-4-w1-r1.json', 'c-4-w1.json']);
    // Each level file is the pool of its kept records and its workers' measures (the crash checker's rebuild).
    expect(await checkRunFolder(run, [1, 4], 60)).toEqual([]);

    // The regression check judges against the intervals (the run against itself: inside them).
    expect(checkRegression(sweep, sweep, 10)).toMatchObject({ regressed: false, throughputMethod: 'interval', latencyMethod: 'interval' });
  });

  it('mode rate: workers record their client verdict and peak in flight under their share of maxConcurrency; the merge carries them', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'parity-rate-'));
    const result = await runOffline({
      synthesized,
      speedup: 60,
      outDir,
      runId: 'rate',
      benchmark: { mode: 'rate', rates: [1, 4], arrival: 'poisson', maxConcurrency: 3, workers: 2, durationS: 20, warmupRequests: 1, plateauGain: 0, stream: true, outputTokens: 64 },
    });
    expect(result.error).toBeUndefined();
    const levels = result.sweep!.levels;
    expect(levels.map((l) => l.offeredRatePerS)).toEqual([1, 4]);
    for (const level of levels) {
      expect(level.client?.verdict).toMatch(/^(ok|client-bound)$/);
      expect(level.client?.cpuPct).toBeGreaterThan(0);
      // The cap of the level is the sum of its workers' shares (2 + 1); their peaks add up to at most it.
      expect(level.openLoop).toMatchObject({ arrival: 'poisson', maxConcurrency: 3 });
      expect(level.openLoop!.peakInFlight).toBeGreaterThanOrEqual(1);
      expect(level.openLoop!.peakInFlight).toBeLessThanOrEqual(3);
    }
    // 4 requests/s of ≈ 2.6 s each want ≈ 10 in flight: over the cap of 3, arrivals wait and are counted.
    const busy = levels[1];
    expect(busy.openLoop!.peakInFlight).toBe(3);
    expect(busy.openLoop!.waitedForCap).toBeGreaterThan(0);
  });
});
