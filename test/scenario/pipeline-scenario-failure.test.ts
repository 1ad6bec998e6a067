import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCENARIO_STATE_NAMES } from '../../lib/benchmark/scenario-path';
import { loadFleetFile } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import type { ScenarioResult } from '../../lib/results/scenario';
import { runScenarioPipelineOffline } from '../../loadtest/offline/run-scenario-offline';
import { synthesizePipeline } from '../../loadtest/offline/synth';
import { latestScenarioKey, scenarioKeys } from '../../loadtest/pipeline/layout';
import { LocalFolderStore } from '../../loadtest/pipeline/local-store';

// A scenario that fails in the synthesized state machine (run locally, every task its real handler as
// its function's role) writes a partial report of what was measured, naming the failed state, then fails.
jest.setTimeout(120_000);

describe('a ramp whose capacity sampler loses DescribeEndpoint in its second window', () => {
  it('ends in ScenarioFailed after a partial scenario.json with the first window measured and the failed state', async () => {
    const fleet = synthesizePipeline(resolveFleet(loadFleetFile('fleets/published-study.yaml'), { region: 'us-east-1' }));
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'pipeline-ramp-failed-'));
    const store = new LocalFolderStore(out);
    const keys = scenarioKeys('llama-2-7b-p4d-ic-8x-tp1', 'ramp-failed');
    // Once window 0's readings are stored, DescribeEndpoint is refused (a role losing the permission): window 1's sampler fails.
    const window0Done = (): boolean => existsSync(store.locate(keys.readings(0)));
    const run = await runScenarioPipelineOffline({
      deployment: 'llama-2-7b-p4d-ic-8x-tp1',
      scenario: 'ramp',
      synthesized: fleet,
      outDir: out,
      speedup: 20,
      runId: 'ramp-failed',
      // 260 s: window 0 (240 s) and 20 s of window 1.
      overrides: { from: 1, to: 8, overS: 30, holdS: 230, fallS: 0 },
      refuse: (call) => call.action === 'sagemaker:DescribeEndpoint' && window0Done(),
    });
    expect(run.succeeded).toBe(false);
    // The execution's error is the failed state (ScenarioFailed's errorPath), its cause the caught error's.
    expect(run.error).toContain('refused by the offline run: sagemaker:DescribeEndpoint');
    const result = run.result as ScenarioResult;
    // The partial report names the failed state and its error.
    expect(result.failure).toMatchObject({ state: SCENARIO_STATE_NAMES.windows });
    expect(JSON.stringify(result.failure)).toContain('AccessDenied');
    // What was measured: both windows' requests and window 0's capacity readings, up to where the measurements end.
    expect(result.figures.requests).toBeGreaterThan(100);
    expect(result.figures.ok).toBe(result.figures.requests);
    expect(result.durationS).toBeGreaterThanOrEqual(235);
    expect(result.durationS).toBeLessThan(260 + 30);
    expect(result.samples.length).toBeGreaterThanOrEqual(47);
    expect(result.samples.filter((s) => s.tS < 235).every((s) => s.copiesInService === 1)).toBe(true);
    expect(result.figures.startCapacity).toBe(1);
    const markdown = await fs.readFile(run.files.markdown, 'utf8');
    expect(markdown).toContain('Partial report: the run failed in ScenarioWindows');
    expect(await fs.readFile(run.files.svg, 'utf8')).toContain('<svg');
    // A failed run is no latest result and publishes no metric.
    expect(await store.getJson(latestScenarioKey('llama-2-7b-p4d-ic-8x-tp1', 'ramp'))).toBeUndefined();
    expect(existsSync(run.emfPath)).toBe(false);
    // The partial report ran as the finish step's role (its reads were judged), between the failure and ScenarioFailed.
    expect(run.iam.filter((c) => !c.allowed)).toEqual([]);
    // The failed Map stopped waiting for window 1, not its worker: the partial report waited for its records too.
    expect((await store.list(keys.recordsPrefix)).sort()).toEqual([keys.records(0, 0), keys.records(1, 0)]);
    expect(result.samples.filter((s) => s.tS >= 240).reduce((n, s) => n + s.completed, 0)).toBeGreaterThan(0);
  });
});
