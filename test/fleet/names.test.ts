import { FleetValidationError } from '../../lib/fleet/errors';
import { loadFleetFile, parseFleetYaml } from '../../lib/fleet/load';
import { defaultDeploymentId, duplicateEndpointNames, endpointName, inferenceComponentName, withInstanceSlug } from '../../lib/fleet/names';
import { resolveFleet } from '../../lib/fleet/resolve';

describe('endpoint names carry the instance type once', () => {
  it('merges the slug with the short form an id already holds', () => {
    expect(endpointName('published-study', 'llama-2-7b-p4d', 'ml.p4d.24xlarge')).toBe('published-study-llama-2-7b-p4d-24xlarge');
    expect(endpointName('published-study', 'llama-2-7b-p4d-ic-8x-tp1', 'ml.p4d.24xlarge')).toBe('published-study-llama-2-7b-p4d-24xlarge-ic-8x-tp1');
    expect(withInstanceSlug('G5-llama', 'g5-2xlarge')).toBe('G5-2xlarge-llama');
  });

  it('keeps an id holding the whole slug, and appends the slug to one holding none', () => {
    expect(endpointName('s', 'llama-g5-2xlarge-tp1', 'ml.g5.2xlarge')).toBe('s-llama-g5-2xlarge-tp1');
    expect(endpointName('s', 'llama', 'ml.g5.2xlarge')).toBe('s-llama-g5-2xlarge');
    // A family word followed by another size is another instance: both stay visible.
    expect(endpointName('s', 'llama-g5-12xlarge', 'ml.g5.2xlarge')).toBe('s-llama-g5-12xlarge-g5-2xlarge');
    // Default ids already hold the slug: their names do not change.
    const id = defaultDeploymentId('llama-2-7b', 'ml.p4d.24xlarge', 2, 4);
    expect(endpointName('s', id, 'ml.p4d.24xlarge')).toBe(`s-${id}`);
  });

  it('still renames the endpoint when the instance type changes (replacement, not UpdateEndpoint)', () => {
    expect(endpointName('s', 'llama-p4d', 'ml.p4d.24xlarge')).not.toBe(endpointName('s', 'llama-p4d', 'ml.p4de.24xlarge'));
    expect(endpointName('s', 'llama', 'ml.g5.2xlarge')).not.toBe(endpointName('s', 'llama', 'ml.g5.12xlarge'));
  });

  it('fits 63 characters (SageMaker EndpointName), stably, and keeps instance types apart when shortened', () => {
    const id = 'a-very-long-deployment-id-that-goes-on-and-on-and-on-p4d';
    const name = endpointName('fleet-name-that-is-long', id, 'ml.p4d.24xlarge');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/);
    expect(name).toBe(endpointName('fleet-name-that-is-long', id, 'ml.p4d.24xlarge'));
    expect(name).not.toBe(endpointName('fleet-name-that-is-long', id, 'ml.p4de.24xlarge'));
    expect(inferenceComponentName(name).length).toBeLessThanOrEqual(63);
  });

  it('the shipped fleets name no instance twice', () => {
    for (const file of ['fleets/published-study.yaml', 'fleets/examples/llama-3-1-8b-g6e.yaml', 'fleets/examples/matrix.yaml', 'fleets/examples/scale-to-zero-ic.yaml']) {
      const config = loadFleetFile(file);
      const fleet = resolveFleet(config, { region: config.region ?? 'us-east-1' });
      for (const d of fleet.deployments) {
        const words = d.endpointName.slice(fleet.name.length + 1).split('-');
        const family = d.instanceType.name.split('.')[1] as string;
        expect({ name: d.endpointName, family: words.filter((w) => w === family).length }).toEqual({ name: d.endpointName, family: 1 });
      }
      expect(duplicateEndpointNames(fleet.deployments)).toEqual([]);
    }
  });

  it('rejects two deployments whose names meet once the slug is merged', () => {
    const yaml =
      'name: s\ndefaults: { acceptEula: true }\ndeployments:\n' +
      '  - { id: llama-p4d, model: llama-2-7b, instanceType: ml.p4d.24xlarge }\n' +
      '  - { id: llama-p4d-24xlarge, model: llama-2-7b, instanceType: ml.p4d.24xlarge }\n';
    const attempt = (): unknown => resolveFleet(parseFleetYaml(yaml), { region: 'us-east-1' });
    expect(attempt).toThrow(FleetValidationError);
    expect(attempt).toThrow(/deployments llama-p4d, llama-p4d-24xlarge would share the endpoint name 's-llama-p4d-24xlarge'/);
  });
});
