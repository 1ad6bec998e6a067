import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetValidationError } from '../../lib/fleet/errors';
import { formatIssuePath, loadFleetFile, parseFleetYaml } from '../../lib/fleet/load';
import { fleetJsonSchema } from '../../lib/fleet/schema';
import { UserInputError } from '../../lib/errors';

function issuesOf(text: string): FleetValidationError['issues'] {
  try {
    parseFleetYaml(text, 'f.yaml');
  } catch (error) {
    if (error instanceof FleetValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a FleetValidationError');
}

describe('fleet file loading', () => {
  it('parses a valid file', () => {
    const config = parseFleetYaml('name: a\ndeployments:\n  - model: llama-2-7b\n    instanceType: ml.g5.2xlarge\n');
    expect(config.deployments?.[0]).toEqual({ model: 'llama-2-7b', instanceType: 'ml.g5.2xlarge' });
  });

  it('formats zod paths like deployments[2].tp', () => {
    expect(formatIssuePath(['deployments', 2, 'tp'])).toBe('deployments[2].tp');
    expect(formatIssuePath(['defaults', 'benchmark', 'concurrency', 0])).toBe('defaults.benchmark.concurrency[0]');
  });

  it('reports schema problems with the path and the line of the offending node', () => {
    const issues = issuesOf('name: a\ndeployments:\n  - model: llama-2-7b\n    instanceType: ml.g5.2xlarge\n  - model: llama-2-7b\n    instanceType: ml.g5.2xlarge\n    tp: 0\n');
    expect(issues).toEqual([{ path: 'deployments[1].tp', message: 'Too small: expected number to be >=1', line: 7 }]);
  });

  it('names unknown fields one per line and points a missing field at its object', () => {
    const issues = issuesOf('name: a\ndeployments:\n  - model: llama-2-7b\n    tpp: 2\n');
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['deployments[0].instanceType', 3],
      ['deployments[0].tpp', 4],
    ]);
    expect(issues[1].message).toMatch(/unknown field/);
  });

  it('reports YAML syntax errors with their line', () => {
    const issues = issuesOf('name: a\ndeployments:\n  - model: [a\n');
    expect(issues[0].path).toBe('yaml');
    expect(issues[0].line).toBeGreaterThanOrEqual(3);
  });

  it('puts one problem per line in the message, prefixed with the file', () => {
    let message = '';
    try {
      parseFleetYaml('name: 1a\nmaxHourlyUsd: -1\n', 'f.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      expect.stringMatching(/^f\.yaml: name: expected letters, digits and single hyphens/),
      expect.stringMatching(/^f\.yaml: maxHourlyUsd: Too small/),
      expect.stringMatching(/^f\.yaml: deployments: a fleet needs at least one entry/),
    ]);
  });

  it('reads files and explains a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-'));
    const path = join(dir, 'f.yaml');
    writeFileSync(path, 'name: a\nmatrix:\n  models: [llama-2-7b]\n  instanceTypes: [ml.g5.2xlarge]\n');
    expect(loadFleetFile(path).matrix?.models).toEqual(['llama-2-7b']);
    expect(() => loadFleetFile(join(dir, 'missing.yaml'))).toThrow(UserInputError);
    expect(() => loadFleetFile(join(dir, 'missing.yaml'))).toThrow(/cannot read fleet file .*missing\.yaml' \(ENOENT\)/);
  });

  it('exports a JSON Schema with the deployment fields', () => {
    const schema = fleetJsonSchema() as { properties: Record<string, { items?: { properties?: Record<string, unknown> } }> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['name', 'region', 'maxHourlyUsd', 'defaults', 'deployments', 'matrix']));
    expect(Object.keys(schema.properties.deployments.items?.properties ?? {})).toEqual(
      expect.arrayContaining(['model', 'instanceType', 'tp', 'copies', 'instances', 'layout', 'tgi', 'autoscaling', 'benchmark']),
    );
  });
});
