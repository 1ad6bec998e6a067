import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { LlmEndpoint } from '../../lib/endpoint/llm-endpoint';
import { DeploymentValidationError } from '../../lib/endpoint/validation';
import { InstanceType } from '../../lib/endpoint/instance-type';
import { llama7b, testStack } from './helpers';

/** The TGI launcher's start rules at synth: constructs name their own props, collected and thrown once. */
function validationIssues(build: () => void): { path: string; message: string }[] {
  try {
    build();
  } catch (error) {
    if (error instanceof DeploymentValidationError) return [...error.issues];
    throw error;
  }
  return [];
}

describe('container start rules at construction', () => {
  it('the container environment never carries MAX_INPUT_LENGTH (TGI exits when it is beside MAX_INPUT_TOKENS)', () => {
    const stack = testStack();
    new LlmEndpoint(stack, 'Endpoint', { model: llama7b(stack, { instanceType: InstanceType.G5_2XLARGE }), instanceType: InstanceType.G5_2XLARGE });
    const [model] = Object.values(Template.fromStack(stack).findResources('AWS::SageMaker::Model')) as { Properties: { PrimaryContainer: { Environment: Record<string, string> } } }[];
    const env = model.Properties.PrimaryContainer.Environment;
    expect(env.MAX_INPUT_TOKENS).toBe('4095');
    expect(env).not.toHaveProperty('MAX_INPUT_LENGTH');
  });

  it('refuses MAX_INPUT_LENGTH set through extraEnv, naming the construct prop, with every other problem in the same error', () => {
    const stack = testStack();
    const model = llama7b(stack, { instanceType: InstanceType.G5_2XLARGE, extraEnv: { MAX_INPUT_LENGTH: '4095', MAX_TOTAL_TOKENS: '4000' } });
    const issues = validationIssues(() => new LlmEndpoint(stack, 'Endpoint', { model, instanceType: InstanceType.G5_2XLARGE }));
    expect(issues.map((i) => i.path)).toEqual(['Test/Endpoint.model.settings.extraEnv.MAX_INPUT_LENGTH', 'Test/Endpoint.model.settings.maxInputTokens']);
    expect(issues[0].message).toMatch(/^MAX_INPUT_LENGTH must not be set: the container already sets MAX_INPUT_TOKENS and TGI's launcher exits when both are set/);
    expect(issues[1].message).toBe('maxInputTokens 4095 must be below MAX_TOTAL_TOKENS 4000; allowed ≤ 3999');
  });

  it('names typed settings by their prop: model.settings.maxBatchPrefillTokens', () => {
    const stack = testStack();
    const model = llama7b(stack, { instanceType: InstanceType.G5_2XLARGE, tgi: { maxBatchPrefillTokens: 100 } });
    const issues = validationIssues(() => new LlmEndpoint(stack, 'Endpoint', { model, instanceType: InstanceType.G5_2XLARGE }));
    expect(issues).toEqual([{ path: 'Test/Endpoint.model.settings.maxBatchPrefillTokens', message: 'maxBatchPrefillTokens 100 is below maxInputTokens 4095; allowed ≥ 4095' }]);
  });

  it('cdk synth of a fleet whose tgi.env sets MAX_INPUT_LENGTH exits 1 naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-'));
    const path = join(dir, 'input-length.yaml');
    writeFileSync(path, 'name: bad\ndefaults: { acceptEula: true }\ndeployments:\n  - { model: llama-2-7b, instanceType: ml.g5.2xlarge, tgi: { env: { MAX_INPUT_LENGTH: "4095" } } }\n');
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
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: .*input-length\.yaml: deployments\[0\]\.tgi\.env\.MAX_INPUT_LENGTH: MAX_INPUT_LENGTH must not be set/)]);
  });
});
