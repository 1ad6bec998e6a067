import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getModel } from '../../lib/catalog';
import { parseFleetYaml } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import { CAPACITY_TIMING_SOURCES, weightsGB } from '../../lib/planner/capacity-timing';
import type { ScenarioResult } from '../../lib/results/scenario';
import { runScenarioPipelineOffline } from '../../loadtest/offline/run-scenario-offline';
import { synthesizePipeline } from '../../loadtest/offline/synth';

// The twin's capacity model set in the fleet (benchmark.twin.capacity) and overridden by --capacity
// (the runner's `capacity`): the modelled copy load time, the figures it shapes and scenario.json's record.
jest.setTimeout(120_000);

const EXAMPLE = 'fleets/examples/scale-to-zero-ic.yaml';
const DEPLOYMENT = 'qwen2-5-7b-g5-12xlarge-ic4';

/** The example fleet with `benchmark.twin.capacity` set on its deployment. */
function withTwinCapacity(capacity: Record<string, number>): ReturnType<typeof parseFleetYaml> {
  const config = parseFleetYaml(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
  const deployments = (config.deployments ?? []).map((d) => (d.id === DEPLOYMENT ? { ...d, benchmark: { ...d.benchmark, twin: { capacity } } } : d));
  return { ...config, deployments };
}

describe('scale-from-zero with the capacity model set in the fleet and by the flag', () => {
  const fleetCapacity = { containerStartS: 10, downloadGBps: 1.5 };
  const flagCapacity = { loadToGpuGBps: 4 };
  const synthesized = synthesizePipeline(resolveFleet(withTwinCapacity(fleetCapacity), { region: 'us-east-1' }));

  it('is a twin-only setting: the synthesized templates are those of the fleet without it', () => {
    const plain = synthesizePipeline(resolveFleet(parseFleetYaml(readFileSync(EXAMPLE, 'utf8'), EXAMPLE), { region: 'us-east-1' }));
    expect(synthesized.fleet.deployments[0]?.twinCapacity).toEqual(fleetCapacity);
    expect(synthesized.template).toEqual(plain.template);
    expect(synthesized.deploymentTemplates).toEqual(plain.deploymentTemplates);
  });

  it('loads a copy in containerStartS + GB / downloadGBps + GB / loadToGpuGBps, recorded with where each value came from', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'pipeline-capacity-'));
    const run = await runScenarioPipelineOffline({
      deployment: DEPLOYMENT,
      scenario: 'scale-from-zero',
      synthesized,
      outDir: out,
      speedup: 25,
      runId: 'capacity-test',
      capacity: flagCapacity,
      overrides: { from: 1, to: 4, overS: 30, holdS: 60, idleS: 5 },
    });
    expect(run.error).toBeUndefined();
    const gb = weightsGB(getModel('qwen2-5-7b-instruct'));
    // 10 s + 15.2 GB / 1.5 GB/s + 15.2 GB / 4 GB/s ≈ 24 s (the defaults give ≈ 59 s).
    const loadS = fleetCapacity.containerStartS + gb / fleetCapacity.downloadGBps + gb / flagCapacity.loadToGpuGBps;
    expect(run.twin.copyLoadMs).toBe(Math.round(loadS * 1000));
    const written = JSON.parse(await fs.readFile(run.files.json, 'utf8')) as ScenarioResult;
    expect(written.capacityModel).toEqual({
      copyLoadS: Math.round(loadS * 1000) / 1000,
      instanceAddS: (300_000 + Math.round(loadS * 1000)) / 1000,
      assumptions: {
        containerStartS: 10,
        containerStartSSource: 'fleet (benchmark.twin.capacity)',
        downloadGBps: 1.5,
        downloadGBpsSource: 'fleet (benchmark.twin.capacity)',
        loadToGpuGBps: 4,
        loadToGpuGBpsSource: 'flag (--capacity)',
        instanceProvisionS: 300,
        instanceProvisionSSource: CAPACITY_TIMING_SOURCES.instanceProvisionS,
      },
    });
    expect(await fs.readFile(run.files.markdown, 'utf8')).toContain(`one copy loads in ${loadS.toFixed(1)} s`);
    // The alarm fired, and the first copy is in service one modelled load time later (exact to LastModifiedTime,
    // or at the next reading at worst).
    const f = written.figures;
    const sampleS = written.spec.sampleS;
    expect(f.startCapacity).toBe(0);
    const afterTrigger = (f.firstAddedCapacityAtS as number) - (f.triggerAtS as number);
    expect(afterTrigger).toBeGreaterThanOrEqual(loadS - 0.5);
    expect(afterTrigger).toBeLessThanOrEqual(loadS + sampleS + 1);
    // The clients waited from the first refused request (an SLO breach, before the alarm's 30 s period ended):
    // the alarm period, then that load time.
    const origin = Math.min(f.sloBreachAtS ?? Infinity, f.triggerAtS as number);
    expect(f.timeToFirstAddedCapacityS).toBeCloseTo((f.firstAddedCapacityAtS as number) - origin, 6);
    expect(f.timeToFirstAddedCapacityS as number).toBeGreaterThanOrEqual(loadS - 0.5);
    expect(f.timeToFirstAddedCapacityS as number).toBeLessThanOrEqual(30 + loadS + 2 * sampleS + 1);
    expect(written.activities[0]?.cause).toContain('NoCapacityInvocationFailures');
  });
});
