import { normalizeTemplate } from './normalize-template';
import { synthFleet, type Template } from './synth-fleet';

/** Drops the benchmark pipeline's resources and outputs (snapshotted by test/benchmark, which owns them). */
function withoutPipeline(template: Template): Template {
  const keep = <T>(section: Record<string, T> | undefined): Record<string, T> | undefined =>
    section && Object.fromEntries(Object.entries(section).filter(([id]) => !id.startsWith('Benchmark')));
  return { ...template, Resources: keep(template.Resources), Outputs: keep(template.Outputs as Record<string, unknown> | undefined) };
}

/** One snapshot per example fleet, asset hashes normalized, for review of the synthesized templates. */
describe.each(['fleets/published-study.yaml', 'fleets/examples/llama-3-1-8b-g6e.yaml', 'fleets/examples/matrix.yaml', 'fleets/examples/scale-to-zero-ic.yaml', 'fleets/examples/engines-llama-3-1-8b.yaml'])(
  '%s',
  (path) => {
    it('synthesizes the same templates', () => {
      const skipped: string[] = [];
      const { templates, shared } = synthFleet(path, (line) => skipped.push(line));
      const reviewed = Object.fromEntries(
        Object.entries(templates).map(([name, t]) => [name, name === shared.stackName ? withoutPipeline(t) : t]),
      );
      expect(skipped).toMatchSnapshot('skipped combinations');
      expect(normalizeTemplate(reviewed)).toMatchSnapshot('templates');
    });
  },
);

describe('normalizeTemplate', () => {
  it('replaces asset hashes and asset paths', () => {
    const hash = 'a'.repeat(36) + '0123456789abcdef0123456789ab'; // 64 hex digits, like a CDK asset hash
    const template = {
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { Code: { S3Bucket: 'cdk-hnb659fds-assets-123456789012-us-east-1', S3Key: `${hash}.zip` } },
          Metadata: { 'aws:asset:path': `asset.${hash}`, 'aws:asset:property': 'Code' },
        },
      },
    };
    expect(normalizeTemplate(template).Resources.Fn).toEqual({
      Type: 'AWS::Lambda::Function',
      Properties: { Code: { S3Bucket: 'cdk-hnb659fds-assets-123456789012-us-east-1', S3Key: '<asset-hash>.zip' } },
      Metadata: { 'aws:asset:path': '<asset-path>', 'aws:asset:property': 'Code' },
    });
  });
});
