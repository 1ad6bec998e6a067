import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { UserInputError } from '../../lib/errors';
import { buildApp, resolveRegion } from '../../lib/fleet/app';
import { resolveFleet } from '../../lib/fleet/resolve';
import { resourcesOfType, synthFleet, type SynthesizedFleet } from './synth-fleet';

describe('default fleet (fleets/published-study.yaml)', () => {
  let fleet: SynthesizedFleet;
  beforeAll(() => {
    fleet = synthFleet('fleets/published-study.yaml');
  });

  it('builds one shared stack and one stack per deployment, the g5.2xlarge one first', () => {
    expect(fleet.deployments.map((d) => d.stackName)).toEqual([
      'LlmBench-published-study-llama-2-7b-g5-2xlarge',
      'LlmBench-published-study-llama-2-7b-g5-12xlarge',
      'LlmBench-published-study-llama-2-7b-g5-48xlarge',
      'LlmBench-published-study-llama-2-7b-p4d',
      'LlmBench-published-study-llama-2-7b-p4d-ic-8x-tp1',
    ]);
    expect(fleet.shared.stackName).toBe('LlmBench-published-study');
    expect(fleet.fleet.deployments[0].benchmark).toMatchObject({ inputTokens: 256, outputTokens: 256, concurrency: [1, 2, 4, 8, 16, 32, 64, 128], schedule: { cron: 'cron(0 6 ? * MON *)', timeZone: 'UTC' } });
  });

  it('has an inference component with 1 accelerator per copy and 8 copies, scaled on DesiredCopyCount', () => {
    const components = resourcesOfType(fleet.templates, 'AWS::SageMaker::InferenceComponent');
    expect(components).toHaveLength(1);
    expect(components[0].properties).toMatchObject({
      InferenceComponentName: 'published-study-llama-2-7b-p4d-24xlarge-ic-8x-tp1-ic',
      Specification: { ComputeResourceRequirements: { NumberOfAcceleratorDevicesRequired: 1 } },
      // Autoscaled: the copies come from the copy-count reader (8 at creation, the current ones at updates).
      RuntimeConfig: { CopyCount: { 'Fn::GetAtt': [expect.stringContaining('CopyCountReader'), 'CopyCount'] } },
    });
    const [reader] = resourcesOfType(fleet.templates, 'Custom::InferenceComponentCopyCount');
    expect(reader?.properties).toMatchObject({ InferenceComponentName: 'published-study-llama-2-7b-p4d-24xlarge-ic-8x-tp1-ic', PlannedCopies: 8, MinCopies: 1, MaxCopies: 8 });
    const targets = resourcesOfType(fleet.templates, 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect(targets.map((t) => t.properties)).toEqual([
      expect.objectContaining({
        ScalableDimension: 'sagemaker:inference-component:DesiredCopyCount',
        ResourceId: 'inference-component/published-study-llama-2-7b-p4d-24xlarge-ic-8x-tp1-ic',
        MinCapacity: 1,
        MaxCapacity: 8,
      }),
    ]);
  });

  it('gives every variant JumpStart TP and the instance type of the study', () => {
    const variants = resourcesOfType(fleet.templates, 'AWS::SageMaker::Model').map((m) => {
      const env = (m.properties.PrimaryContainer as { Environment: Record<string, string> }).Environment;
      return [m.stack.replace('LlmBench-published-study-', ''), env.SM_NUM_GPUS];
    });
    expect(variants.sort()).toEqual([
      ['llama-2-7b-g5-12xlarge', '4'],
      ['llama-2-7b-g5-2xlarge', '1'],
      ['llama-2-7b-g5-48xlarge', '8'],
      ['llama-2-7b-p4d', '8'],
      ['llama-2-7b-p4d-ic-8x-tp1', '1'],
    ]);
  });

  it('writes the deployment manifest to SSM in the shared stack', () => {
    const [parameter] = resourcesOfType(fleet.templates, 'AWS::SSM::Parameter');
    expect(parameter.stack).toBe('LlmBench-published-study');
    expect(parameter.properties.Name).toBe('/llm-bench/published-study/deployments');
    const manifest = JSON.parse(parameter.properties.Value as string) as { id: string; endpointName: string }[];
    expect(manifest[0]).toEqual({ id: 'llama-2-7b-g5-2xlarge', endpointName: 'published-study-llama-2-7b-g5-2xlarge', stackName: 'LlmBench-published-study-llama-2-7b-g5-2xlarge' });
  });

  it('passes cdk-nag AwsSolutionsChecks with every suppression carrying a reason', () => {
    const report = new AwsSolutionsChecks().validateScope(fleet.app);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
    const reasons = fleet.deployments.flatMap((stack) =>
      stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').flatMap((m) => Object.values(m.data as Record<string, string>))),
    );
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(40);
  });
});

describe('region and errors', () => {
  it('takes the region from context, the fleet file, then the environment', () => {
    expect(resolveRegion({ context: 'eu-west-1', fleetRegion: 'us-west-2', env: { AWS_REGION: 'us-east-2' } })).toBe('eu-west-1');
    expect(resolveRegion({ fleetRegion: 'us-west-2', env: { AWS_REGION: 'us-east-2' } })).toBe('us-west-2');
    expect(resolveRegion({ env: { CDK_DEFAULT_REGION: 'ap-south-1', AWS_REGION: 'us-east-2' } })).toBe('ap-south-1');
    expect(resolveRegion({ env: { AWS_REGION: 'us-east-2' } })).toBe('us-east-2');
    expect(() => resolveRegion({ env: {} })).toThrow(UserInputError);
    expect(() => resolveRegion({ env: {} })).toThrow(/region: no region given: pass -c region=us-east-1/);
  });

  it('fails buildApp with every problem of the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-'));
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'name: bad\ndeployments:\n  - { model: llama-2-7b, instanceType: ml.g5.2xlarge, tp: 2, acceptEula: true }\n  - { model: nope, instanceType: ml.g5.2xlarge }\n');
    expect(() => buildApp(new App(), { fleetPath: path, region: 'us-east-1', account: '123456789012' })).toThrow(
      /deployments\[0\]\.tp: tp 2 exceeds .*\n.*deployments\[1\]\.model: unknown model 'nope'/,
    );
  });

  it('bin/app.ts prints one line per problem and exits 1 without a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-'));
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'name: bad\ndeployments:\n  - { model: llama-2-7b, instanceType: ml.g5.2xlarge, tp: 3 }\n');
    let stderr = '';
    let status = 0;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
        env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ fleet: path, region: 'us-east-1' }), CDK_OUTDIR: join(dir, 'out') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const e = error as { status: number; stderr: Buffer };
      status = e.status;
      stderr = e.stderr.toString();
    }
    expect(status).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^error: .*bad\.yaml: deployments\[0\]\.tp: tp 3 must divide llama-2-7b's 32 attention heads; allowed 1$/),
      expect.stringMatching(/^error: .*bad\.yaml: deployments\[0\]\.tp: tp 3 exceeds/),
      expect.stringMatching(/^error: .*bad\.yaml: deployments\[0\]\.acceptEula: llama-2-7b is a gated model/),
    ]);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('update hazards at fleet level', () => {
  function names(instanceType: string, layout: 'variant' | 'inference-components'): { endpoint: string; component?: string } {
    const config = {
      name: 'hz',
      deployments: [{ id: 'chat', model: 'llama-2-7b', instanceType, tp: 1, acceptEula: true, ...(layout === 'inference-components' ? { layout, copies: 1 } : {}) }],
    };
    const [d] = resolveFleet(config as unknown as Parameters<typeof resolveFleet>[0], { region: 'us-east-1', file: 'hz.yaml' }).deployments;
    return { endpoint: d.endpointName, component: d.inferenceComponentName };
  }

  it('moving a deployment to another instance type renames its endpoint and component (CloudFormation replaces them)', () => {
    expect(names('ml.g5.2xlarge', 'variant').endpoint).toBe('hz-chat-g5-2xlarge');
    expect(names('ml.g5.4xlarge', 'variant').endpoint).toBe('hz-chat-g5-4xlarge');
    const ic = names('ml.g5.12xlarge', 'inference-components');
    expect(ic).toEqual({ endpoint: 'hz-chat-g5-12xlarge', component: 'hz-chat-g5-12xlarge-ic' });
    expect(names('ml.g5.48xlarge', 'inference-components').component).toBe('hz-chat-g5-48xlarge-ic');
  });

  it('the default fleet: every endpoint retains its autoscaled variant properties where something else owns the count', () => {
    const fleet = synthFleet('fleets/published-study.yaml');
    const endpoints = resourcesOfType(fleet.templates, 'AWS::SageMaker::Endpoint');
    const targets = resourcesOfType(fleet.templates, 'AWS::ApplicationAutoScaling::ScalableTarget');
    for (const e of endpoints) {
      const scaled = targets.some((t) => t.stack === e.stack) || resourcesOfType({ [e.stack]: fleet.templates[e.stack] }, 'AWS::SageMaker::InferenceComponent').length > 0;
      expect([e.stack, e.properties.RetainAllVariantProperties]).toEqual([e.stack, scaled ? true : undefined]);
      expect(String(e.properties.EndpointName)).toContain(String(e.stack).includes('p4d') ? 'p4d' : 'g5');
    }
  });
});

describe('instance-type change of an inference-component deployment', () => {
  function synthIc(instanceType: string): { endpointName: unknown; componentIds: string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-'));
    const path = join(dir, 'ic.yaml');
    writeFileSync(path, `name: hz\ndeployments:\n  - { id: chat, model: llama-2-7b, instanceType: ${instanceType}, layout: inference-components, tp: 1, copies: 4, acceptEula: true }\n`);
    const fleet = synthFleet(path);
    const template = fleet.templates[fleet.deployments[0].stackName];
    const ids = (type: string): string[] => Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type).map(([id]) => id);
    const [endpoint] = resourcesOfType({ t: template }, 'AWS::SageMaker::Endpoint');
    return { endpointName: endpoint.properties.EndpointName, componentIds: ids('AWS::SageMaker::InferenceComponent') };
  }

  it('creates a new endpoint and a new component (new logical id) instead of updating them in place', () => {
    const before = synthIc('ml.g5.12xlarge');
    const after = synthIc('ml.g5.24xlarge');
    expect(before.endpointName).toBe('hz-chat-g5-12xlarge');
    expect(after.endpointName).toBe('hz-chat-g5-24xlarge');
    expect(before.componentIds).toHaveLength(1);
    expect(after.componentIds).toHaveLength(1);
    expect(after.componentIds[0]).not.toBe(before.componentIds[0]);
  });
});
