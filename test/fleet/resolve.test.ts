import { FleetValidationError } from '../../lib/fleet/errors';
import { loadFleetFile, parseFleetYaml } from '../../lib/fleet/load';
import { endpointName, sageMakerName } from '../../lib/fleet/names';
import { resolveFleet } from '../../lib/fleet/resolve';
import { DEFAULT_MAX_HOURLY_USD } from '../../lib/fleet/resolve-cost';

const resolve = (yaml: string, priceOverrides?: Record<string, number>) => resolveFleet(parseFleetYaml(yaml), { region: 'us-east-1', priceOverrides });

describe('resolveFleet', () => {
  it('applies JumpStart defaults, benchmark defaults and names', () => {
    const fleet = resolve('name: study\ndefaults: { acceptEula: true }\ndeployments:\n  - model: llama-2-7b\n    instanceType: ml.g5.12xlarge\n');
    const [d] = fleet.deployments;
    expect(d).toMatchObject({
      id: 'llama-2-7b-g5-12xlarge-tp4',
      stackName: 'LlmBench-study-llama-2-7b-g5-12xlarge-tp4',
      endpointName: 'study-llama-2-7b-g5-12xlarge-tp4',
      layout: 'variant',
      tp: 4,
      copies: 1,
      instances: 1,
      tgi: { maxInputTokens: 4095, maxTotalTokens: 4096 },
      benchmark: { inputTokens: 256, outputTokens: 256, concurrency: [1, 2, 4, 8, 16, 32, 64, 128], timeoutS: 60, schedule: 'off' },
    });
    expect(d.autoscaling).toBeUndefined();
  });

  it('defaults an inference-component layout from copies, with TP filling the accelerators', () => {
    const fleet = resolve('name: s\ndefaults: { acceptEula: true }\ndeployments:\n  - model: llama-2-7b\n    instanceType: ml.p4d.24xlarge\n    copies: 4\n');
    expect(fleet.deployments[0]).toMatchObject({ layout: 'inference-components', tp: 2, copies: 4, inferenceComponentName: 's-llama-2-7b-p4d-24xlarge-tp2-ic4-ic' });
  });

  it('layers benchmark settings: defaults, then the deployment', () => {
    const fleet = resolve(
      'name: s\ndefaults:\n  acceptEula: true\n  benchmark: { inputTokens: 512, durationS: 30 }\ndeployments:\n  - model: llama-2-7b\n    instanceType: ml.g5.2xlarge\n    benchmark: { durationS: 10, concurrency: auto }\n',
    );
    expect(fleet.deployments[0].benchmark).toMatchObject({ inputTokens: 512, outputTokens: 256, durationS: 10, concurrency: 'auto' });
  });

  it('resolves autoscaling for both layouts', () => {
    const fleet = resolve(
      [
        'name: s',
        'defaults: { acceptEula: true }',
        'deployments:',
        '  - model: llama-2-7b',
        '    instanceType: ml.g5.2xlarge',
        '    autoscaling: { maxInstances: 4, metric: invocations }',
        '  - model: llama-2-7b',
        '    instanceType: ml.p4d.24xlarge',
        '    tp: 1',
        '    copies: 8',
        '    autoscaling: { scaleToZero: true }',
      ].join('\n'),
    );
    expect(fleet.deployments[0].autoscaling).toEqual({
      kind: 'instances', minInstances: 1, maxInstances: 4, metric: 'invocations', targetValue: 60, scaleInCooldownS: 300, scaleOutCooldownS: 60,
    });
    expect(fleet.deployments[1].autoscaling).toMatchObject({ kind: 'copies', minCopies: 0, maxCopies: 8, minInstances: 0, maxInstances: 1, scaleToZero: true });
  });

  it('expands a matrix, skipping impossible combinations with the reason', () => {
    const fleet = resolve('name: m\ndefaults: { acceptEula: true }\nmatrix:\n  models: [llama-2-7b, llama-2-13b]\n  instanceTypes: [ml.g5.2xlarge, ml.g5.12xlarge]\n  tp: [1, 4]\n');
    expect(fleet.deployments.map((d) => d.id)).toEqual(['llama-2-7b-g5-2xlarge-tp1', 'llama-2-7b-g5-12xlarge-tp1', 'llama-2-7b-g5-12xlarge-tp4', 'llama-2-13b-g5-12xlarge-tp4']);
    expect(fleet.skipped).toEqual([
      { id: 'llama-2-7b-g5-2xlarge-tp4', reason: 'tp 4 exceeds the 1 accelerators of ml.g5.2xlarge; allowed 1..1' },
      { id: 'llama-2-13b-g5-2xlarge-tp1', reason: expect.stringMatching(/not supported by llama-2-13b/) },
      { id: 'llama-2-13b-g5-2xlarge-tp4', reason: expect.stringMatching(/tp 4 exceeds/) },
      { id: 'llama-2-13b-g5-12xlarge-tp1', reason: expect.stringMatching(/llama-2-13b at tp 1 on ml\.g5\.12xlarge is short by \d+\.\d GB/) },
    ]);
  });

  it('takes JumpStart default TPs for tp: default', () => {
    const fleet = resolve('name: m\ndefaults: { acceptEula: true }\nmatrix:\n  models: [llama-2-7b]\n  instanceTypes: [ml.g5.2xlarge, ml.g5.48xlarge]\n  tp: default\n');
    expect(fleet.deployments.map((d) => d.tp)).toEqual([1, 8]);
  });

  it('prices deployments and fails over maxHourlyUsd, listing each share', () => {
    const yaml = (max: number) =>
      `name: s\nmaxHourlyUsd: ${max}\ndefaults: { acceptEula: true }\ndeployments:\n  - { id: a, model: llama-2-7b, instanceType: ml.g5.2xlarge, instances: 2 }\n  - { id: b, model: llama-2-7b, instanceType: ml.g5.12xlarge }\n`;
    const prices = { 'ml.g5.2xlarge': 1.5, 'ml.g5.12xlarge': 7 };
    const fleet = resolve(yaml(10), prices);
    expect(fleet.hourlyUsd).toBeCloseTo(10);
    expect(fleet.deployments.map((d) => d.hourlyUsd)).toEqual([3, 7]);
    let error: unknown;
    try {
      resolve(yaml(9), prices);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetValidationError);
    expect((error as FleetValidationError).issues).toEqual([
      {
        path: 'maxHourlyUsd',
        message:
          'the fleet costs $10.00/h in us-east-1 on demand at its autoscaling maximum ($10.00/h at its initial size), above maxHourlyUsd 9; ' +
          'allowed: raise maxHourlyUsd to ≥ 10 or shrink the fleet; shares: b $7.00/h (70.0%), a $3.00/h (30.0%)',
      },
    ]);
  });

  it('prices the autoscaling maximum, not the initial size', () => {
    // 1 instance at creation, up to 4 by autoscaling: $1.5/h initially, $6/h at most.
    const yaml = (max: number) =>
      `name: s\nmaxHourlyUsd: ${max}\ndefaults: { acceptEula: true }\ndeployments:\n  - { id: a, model: llama-2-7b, instanceType: ml.g5.2xlarge, autoscaling: { maxInstances: 4 } }\n`;
    const prices = { 'ml.g5.2xlarge': 1.5 };
    const fleet = resolve(yaml(6), prices);
    expect(fleet).toMatchObject({ hourlyUsd: 1.5, peakHourlyUsd: 6, maxHourlyUsd: 6, maxHourlyUsdExplicit: true });
    expect(fleet.deployments[0]).toMatchObject({ hourlyUsd: 1.5, maxHourlyUsd: 6 });
    expect(() => resolve(yaml(5), prices)).toThrow(/maxHourlyUsd: the fleet costs \$6\.00\/h in us-east-1 on demand at its autoscaling maximum \(\$1\.50\/h at its initial size\), above maxHourlyUsd 5/);
  });

  it(`needs an explicit maxHourlyUsd above the default ceiling of $${DEFAULT_MAX_HOURLY_USD}/h`, () => {
    // 20 × ml.p4d.24xlarge at $30/h = $600/h.
    const prices = { 'ml.p4d.24xlarge': 30 };
    const big = 'name: big\ndefaults: { acceptEula: true }\ndeployments:\n  - { id: p, model: llama-2-7b, instanceType: ml.p4d.24xlarge, instances: 20 }\n';
    expect(() => resolve(big, prices)).toThrow(/maxHourlyUsd: the fleet costs \$600\.00\/h .*above the default ceiling of \$500\/h; set maxHourlyUsd ≥ 600 to confirm the budget/);
    expect(resolve(big.replace('name: big\n', 'name: big\nmaxHourlyUsd: 800\n'), prices)).toMatchObject({ peakHourlyUsd: 600, maxHourlyUsd: 800, maxHourlyUsdExplicit: true });
    // A small fleet passes under the default ceiling without declaring one.
    expect(resolve(big.replace('instances: 20', 'instances: 1'), prices)).toMatchObject({ maxHourlyUsd: DEFAULT_MAX_HOURLY_USD, maxHourlyUsdExplicit: false });
  });

  it('the shipped fleets declare their maxHourlyUsd and stay within it at their autoscaling maximum', () => {
    for (const file of ['fleets/published-study.yaml', 'fleets/examples/llama-3-1-8b-g6e.yaml', 'fleets/examples/matrix.yaml', 'fleets/examples/scale-to-zero-ic.yaml']) {
      const config = loadFleetFile(file);
      expect(config.maxHourlyUsd).toBeDefined();
      const fleet = resolveFleet(config, { region: config.region ?? 'us-east-1' });
      expect(fleet.peakHourlyUsd).toBeLessThanOrEqual(fleet.maxHourlyUsd);
    }
  });

  it('keeps SageMaker names within 63 characters, stably', () => {
    const long = endpointName('fleet-name-that-is-long', 'a-very-long-deployment-id-that-goes-on-and-on-x');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toBe(endpointName('fleet-name-that-is-long', 'a-very-long-deployment-id-that-goes-on-and-on-x'));
    expect(sageMakerName('ok-name')).toBe('ok-name');
  });
});
