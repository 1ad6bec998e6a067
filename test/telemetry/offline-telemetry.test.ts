import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runOffline } from '../../loadtest/offline/run-offline';
import type { SweepResult } from '../../lib/results/records';
import { OVERHEAD_LATENCY_MS } from '../../loadtest/local/cloudwatch';
import { synthesizeStudyPipeline } from '../offline/fixture';

/**
 * Done-when: every level of an offline run (the synthesized state machine, the real handlers, the
 * local twin of llama-2-7b on ml.g5.2xlarge) carries GPU utilization, model latency and overhead
 * latency, read by merge-level through the real CloudWatch client from the twin's GetMetricData.
 */
describe('offline run: CloudWatch telemetry joined to every level', () => {
  it('each level has GPU utilization, model and overhead latency; the report shows them', async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const outDir = mkdtempSync(path.join(tmpdir(), 'llm-bench-telemetry-'));
    const result = await runOffline({
      synthesized: synthesizeStudyPipeline(),
      speedup: 60,
      outDir,
      runId: 'telemetry',
      benchmark: { durationS: 120, warmupRequests: 1, concurrency: [1, 16], plateauGain: 0 },
    });
    expect(result.error).toBeUndefined();
    const sweep = JSON.parse(readFileSync(result.files.json, 'utf8')) as SweepResult;
    expect(sweep.levels.map((l) => l.concurrency)).toEqual([1, 16]);
    for (const level of sweep.levels) {
      const server = level.server;
      expect(server?.schemaVersion).toBe(1);
      expect(server?.gpuUtilizationPct).toBeGreaterThan(0);
      expect(server?.gpuUtilizationPct).toBeLessThanOrEqual(100);
      expect(server?.modelLatencyMs?.mean).toBeGreaterThan(0);
      expect(server?.overheadLatencyMs?.mean).toBe(OVERHEAD_LATENCY_MS);
      // The window is the level's, on the twin's clock: 120 s of endpoint time (within a tick of the timers).
      expect(((server?.window.endMs ?? 0) - (server?.window.startMs ?? 0)) / 1000).toBeCloseTo(level.durationS, 0);
    }
    const [one, sixteen] = sweep.levels;
    // The twin's queue: about one request in flight at c=1, up to 16 at c=16 (10 s means, so at most the level).
    expect(one?.server?.concurrentRequestsMax).toBeLessThanOrEqual(1);
    expect(sixteen?.server?.concurrentRequestsMax).toBeGreaterThan(8);
    expect(sixteen?.server?.concurrentRequestsMax).toBeLessThanOrEqual(16);
    // Batching 16 requests slows each one: the container's latency rises with the client's.
    expect(sixteen?.server?.modelLatencyMs?.mean).toBeGreaterThan(one?.server?.modelLatencyMs?.mean ?? Infinity);
    // The container's time is part of the client's: ModelLatency never exceeds the client's e2e
    // (at speedup 60 a slow client's gaps between requests count 60-fold: there the GPU idles, and says so).
    for (const level of sweep.levels) expect(level.server?.modelLatencyMs?.mean).toBeLessThanOrEqual(level.e2eMs.mean * 1.01);
    const markdown = readFileSync(result.files.markdown, 'utf8');
    expect(markdown).toContain('GPU util %');
    expect(markdown).toContain('model ms');
    expect(markdown).toContain('overhead ms');
  });
});
