import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadFleetFile } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import type { WorkerItem } from '../../lib/benchmark/pipeline-state';
import type { FleetReport } from '../../lib/results/fleet-summary';
import type { SweepResult } from '../../lib/results/records';
import { runFleetOffline, type FleetProgress } from '../../loadtest/offline/run-fleet';
import { formatFleetTable } from '../../loadtest/offline/fleet-progress';
import { synthesizePipeline } from '../../loadtest/offline/synth';

/**
 * The whole fleet offline: one synth, every deployment's run of the synthesized state machine
 * against its own local endpoint twin at once, then the fleet report. Two deployments of the
 * published study with short windows keep it to seconds.
 */
const FAST = { durationS: 20, warmupRequests: 1, concurrency: [1, 2, 4], plateauGain: 0 } as const;

function twoDeploymentFleet() {
  const fleet = resolveFleet(loadFleetFile('fleets/published-study.yaml'), { region: 'us-east-1' });
  return synthesizePipeline({ ...fleet, deployments: fleet.deployments.slice(0, 2) });
}

beforeAll(() => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
});

describe('runFleetOffline', () => {
  it('runs every deployment and writes the fleet report; a failed deployment shows with its reason while the others complete', async () => {
    const synthesized = twoDeploymentFleet();
    const [healthy, broken] = synthesized.fleet.deployments.map((d) => d.id);
    const outDir = mkdtempSync(path.join(tmpdir(), 'llm-bench-fleet-'));
    const events: FleetProgress[] = [];
    const result = await runFleetOffline({
      synthesized,
      outDir,
      runId: 'fleet-run',
      // 20×: a request's 60 s deadline is 3 s of wall time, far from a loaded machine's scheduling delays.
      speedup: 20,
      benchmark: FAST,
      onProgress: (e) => events.push(e),
      beforeWorker: (item: WorkerItem) => {
        if (item.deploymentId === broken && item.phase === 'measure' && item.concurrency === 2) throw new Error('injected worker crash');
      },
    });

    expect(result.succeeded).toBe(false);
    expect(result.results.map((r) => [r.deploymentId, r.succeeded])).toEqual([
      [healthy, true],
      [broken, false],
    ]);
    const dir = path.join(outDir, 'fleets', synthesized.fleet.name, 'fleet-run');
    for (const name of ['fleet-report.html', 'fleet-report.md', 'fleet-report.json', 'fleet-curve.svg']) expect(existsSync(path.join(dir, name))).toBe(true);
    expect(readFileSync(path.join(dir, 'fleet-report.md'), 'utf8')).toMatch(/## Prices[\s\S]*us-east-1/);
    expect(result.files.html).toBe(path.join(dir, 'fleet-report.html'));

    const report = JSON.parse(readFileSync(path.join(dir, 'fleet-report.json'), 'utf8')) as FleetReport;
    const ok = report.deployments.find((d) => d.id === healthy);
    const failed = report.deployments.find((d) => d.id === broken);
    // Short windows on a loaded machine may end the healthy sweep by a stop rule; it never fails.
    expect(['completed', 'stopped-early']).toContain(ok?.status);
    // Completed: all three levels; stopped early: at least the first.
    expect(ok?.status === 'completed' ? [3] : [1, 2, 3]).toContain(ok?.levels);
    expect(ok?.maxThroughput?.tokensPerS).toBeGreaterThan(0);
    expect(ok?.usdPerMillionTokens).toBeGreaterThan(0);
    expect(failed?.status).toBe('failed');
    expect(failed?.reason).toBe('RunLevel: Error: injected worker crash');
    expect(failed?.levels).toBe(1);

    // The fleet's figures are the deployments' own sweep.json figures.
    const own = JSON.parse(readFileSync(path.join(outDir, 'runs', healthy, 'fleet-run', 'sweep.json'), 'utf8')) as SweepResult;
    expect(ok?.maxThroughput).toEqual(own.maxThroughput);
    expect(ok?.knee).toEqual(own.knee);
    expect(ok?.maxFeasibleConcurrency).toBe(own.maxFeasibleConcurrency);

    // Links resolve from the fleet report's folder to each deployment's own report.
    expect(ok?.report).toBe(`../../../runs/${healthy}/fleet-run/report.html`);
    expect(existsSync(path.resolve(dir, ok?.report as string))).toBe(true);
    const html = readFileSync(path.join(dir, 'fleet-report.html'), 'utf8');
    expect(html).toContain(`<a href="../../../runs/${healthy}/fleet-run/report.html">${healthy}</a>`);
    expect(html).toContain('<svg');
    expect(html).toContain(`Deployment &#39;${broken}&#39; failed: RunLevel: Error: injected worker crash`);
    const markdown = readFileSync(path.join(dir, 'fleet-report.md'), 'utf8');
    expect(markdown).toContain(`[${healthy}](../../../runs/${healthy}/fleet-run/report.html)`);

    // The state machine's fleet-report step rebuilt latest/{fleet}/ after each run: the healthy
    // deployment from its newest complete run, the failed one from its own run with the failure.
    const latest = JSON.parse(readFileSync(path.join(outDir, 'latest', synthesized.fleet.name, 'fleet-report.json'), 'utf8')) as FleetReport;
    expect(latest.runId).toBeUndefined();
    expect(latest.deployments.map((d) => [d.id, d.status])).toEqual([
      [healthy, ok?.status],
      [broken, 'failed'],
    ]);
    expect(latest.deployments[0].maxThroughput).toEqual(own.maxThroughput);
    expect(latest.deployments[0].report).toBe(`../${healthy}/report.html`);
    expect(latest.deployments[1].reason).toBe('RunLevel: Error: injected worker crash');
    expect(existsSync(path.join(outDir, 'latest', synthesized.fleet.name, 'fleet-report.html'))).toBe(true);

    // Progress names both deployments; the closing table shows the failure.
    const seen = new Set(events.flatMap((e) => (e.kind === 'deployment' ? [e.deploymentId] : [])));
    expect([...seen].sort()).toEqual([healthy, broken].sort());
    expect(formatFleetTable(report)).toContain(`${broken}: RunLevel: Error: injected worker crash`);
  });

  it('refuses an unknown deployment id, naming the fleet\'s deployments', async () => {
    const synthesized = twoDeploymentFleet();
    await expect(runFleetOffline({ synthesized, deployments: ['nope'], outDir: mkdtempSync(path.join(tmpdir(), 'llm-bench-fleet-')) })).rejects.toThrow(
      /deployment: unknown deployment 'nope'; the fleet has: llama-2-7b-g5-2xlarge, llama-2-7b-g5-12xlarge/,
    );
  });
});
