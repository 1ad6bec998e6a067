import { parseFleetYaml } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import { capacityTimingRange, resolveCapacityTimingLayers } from '../../lib/planner/capacity-timing';
import { fleetIssues as issuesOf } from '../support/fleet-issues';

// benchmark.twin.capacity: the autoscaling twin's capacity model, in defaults and per deployment.

function fleet(defaults: string[], deployment: string[]): string {
  return [
    'name: twin',
    'defaults:',
    '  acceptEula: true',
    ...defaults.map((l) => `  ${l}`),
    'deployments:',
    '  - model: llama-2-7b',
    '    instanceType: ml.g5.2xlarge',
    ...deployment.map((l) => `    ${l}`),
  ].join('\n');
}

describe('fleet benchmark.twin.capacity', () => {
  it('merges the defaults and the deployment field by field (the deployment wins), outside the state machine settings', () => {
    const resolved = resolveFleet(
      parseFleetYaml(fleet(['benchmark:', '  twin:', '    capacity: { containerStartS: 12, loadToGpuGBps: 3 }'], ['benchmark:', '  twin:', '    capacity: { containerStartS: 10, downloadGBps: 1.5 }'])),
      { region: 'us-east-1' },
    );
    const d = resolved.deployments[0];
    expect(d?.twinCapacity).toEqual({ containerStartS: 10, downloadGBps: 1.5, loadToGpuGBps: 3 });
    expect(d?.benchmark).not.toHaveProperty('twin');
    // Zero seconds is allowed: an instance already provisioned, a container already started.
    expect(resolveFleet(parseFleetYaml(fleet([], ['benchmark: { twin: { capacity: { instanceProvisionS: 0 } } }'])), { region: 'us-east-1' }).deployments[0]?.twinCapacity).toEqual({ instanceProvisionS: 0 });
    expect(resolveFleet(parseFleetYaml(fleet([], [])), { region: 'us-east-1' }).deployments[0]?.twinCapacity).toBeUndefined();
  });

  it('refuses a value out of range, naming the field and its allowed range', () => {
    expect(issuesOf(fleet([], ['benchmark: { twin: { capacity: { downloadGBps: 0 } } }']))).toEqual([
      { path: 'deployments[0].benchmark.twin.capacity.downloadGBps', message: 'expected a number > 0 (GB/s)' },
    ]);
    expect(issuesOf(fleet(['benchmark: { twin: { capacity: { containerStartS: -5 } } }'], []))).toEqual([
      { path: 'defaults.benchmark.twin.capacity.containerStartS', message: 'expected a number ≥ 0 (s)' },
    ]);
    expect(issuesOf(fleet([], ["benchmark: { twin: { capacity: { loadToGpuGBps: 'fast' } } }"]))).toEqual([
      { path: 'deployments[0].benchmark.twin.capacity.loadToGpuGBps', message: 'expected a number > 0 (GB/s)' },
    ]);
  });

  it('refuses an unknown parameter, naming it (the allowed ones are in fleets/fleet.schema.json)', () => {
    expect(issuesOf(fleet([], ['benchmark: { twin: { capacity: { bootS: 3 } } }']))).toEqual([
      { path: 'deployments[0].benchmark.twin.capacity.bootS', message: 'unknown field (check the spelling; see fleets/fleet.schema.json)' },
    ]);
  });

  it('shares its range rule with the twin: the same values are refused there, with the same range', () => {
    expect(() => resolveCapacityTimingLayers({ fleet: { downloadGBps: 0 } })).toThrow(`capacity.downloadGBps must be ${capacityTimingRange('downloadGBps')}, got 0`);
    expect(() => resolveCapacityTimingLayers({ flag: { containerStartS: -5 } })).toThrow('capacity.containerStartS must be a number ≥ 0 (s), got -5');
    expect(resolveCapacityTimingLayers({ fleet: { containerStartS: 10, downloadGBps: 1.5 }, flag: { downloadGBps: 2 } })).toEqual({
      params: { containerStartS: 10, downloadGBps: 2, loadToGpuGBps: 2, instanceProvisionS: 300 },
      origins: { containerStartS: 'fleet', downloadGBps: 'flag', loadToGpuGBps: 'default', instanceProvisionS: 'default' },
    });
  });
});
