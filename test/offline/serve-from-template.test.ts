import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startFromFlags, type ServeLocalFlags } from '../../loadtest/cli/serve-local-command';
import { synthesizePipeline } from '../../loadtest/offline/synth';
import { studyFleet } from './fixture';
import { cloneSynthesized, modelEnvironment, withStartableContainers } from './template-fixture';

/** `llm-bench serve-local --from-template FILE --deployment ID`: the endpoint a synthesized template declares. */
const base: ServeLocalFlags = { copies: '1', instances: '1', port: '0', speedup: '20' };
const synthesized = synthesizePipeline(studyFleet());
const deploymentId = synthesized.fleet.deployments[0].id;

function writeAssembly(templates: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-bench-cdk-out-'));
  for (const [name, template] of Object.entries(templates)) writeFileSync(path.join(dir, `${name}.template.json`), JSON.stringify(template));
  return dir;
}

describe('serve-local --from-template', () => {
  beforeAll(() => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  });

  it('serves the deployment of a cdk.out folder with the settings of its container environment', async () => {
    const synth = withStartableContainers(synthesized);
    modelEnvironment(synth, deploymentId).MAX_CONCURRENT_REQUESTS = '5';
    const dir = writeAssembly({ Shared: synth.template, [`LlmBench-${deploymentId}`]: synth.deploymentTemplates[deploymentId] });
    const endpoint = await startFromFlags({ ...base, fromTemplate: dir, deployment: deploymentId });
    try {
      expect(endpoint.endpointName).toBe(synth.fleet.deployments[0].endpointName);
      const info = (await (await fetch(`${endpoint.url}/info`)).json()) as { max_concurrent_requests: number; local: { instance_type: string; routing_strategy: string } };
      expect(info.max_concurrent_requests).toBe(5);
      expect(info.local).toMatchObject({ instance_type: 'ml.g5.2xlarge', routing_strategy: 'RANDOM' });
    } finally {
      await endpoint.close();
    }
  });

  it('a container that would exit: DescribeEndpoint answers Failed quoting the launcher', async () => {
    const synth = cloneSynthesized(synthesized);
    Object.assign(modelEnvironment(synth, deploymentId), { MAX_INPUT_TOKENS: '4095', MAX_INPUT_LENGTH: '4095' });
    const file = path.join(writeAssembly({ Stack: synth.deploymentTemplates[deploymentId] }), 'Stack.template.json');
    const endpoint = await startFromFlags({ ...base, fromTemplate: file });
    const client = new SageMakerClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      const described = await client.send(new DescribeEndpointCommand({ EndpointName: endpoint.endpointName }));
      expect(described.EndpointStatus).toBe('Failed');
      expect(described.FailureReason).toContain('did not pass the ping health check');
      expect(described.FailureReason).toContain('Both `max_input_tokens` (4095) and `max_input_length` (4095) are set.');
    } finally {
      client.destroy();
      await endpoint.close();
    }
  });

  it.each([
    [{ fromTemplate: '/nonexistent/cdk.out' }, /--from-template: '\/nonexistent\/cdk.out' does not exist/],
    [{ fromTemplate: '.', model: 'llama-2-7b' }, /--model: is decided by the template/],
    [{ deployment: 'x' }, /--deployment: needs --from-template FILE/],
    [{}, /--model: is required/],
  ])('refuses %p', async (flags, message) => {
    await expect(startFromFlags({ ...base, ...flags })).rejects.toThrow(message);
  });

  it('an unknown --deployment names the ones the folder holds', async () => {
    const dir = writeAssembly({ A: synthesized.deploymentTemplates[deploymentId] });
    await expect(startFromFlags({ ...base, fromTemplate: dir, deployment: 'nope' })).rejects.toThrow(`--deployment: unknown deployment 'nope'; '${dir}' has: ${deploymentId}`);
  });
});
