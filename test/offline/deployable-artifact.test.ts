import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadFleetFile } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import type { ResolvedFleet } from '../../lib/fleet/types';
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startPriceListServer } from '../../loadtest/local/pricing';
import { runOffline, type OfflineOptions, type OfflineResult } from '../../loadtest/offline/run-offline';
import { synthesizeFleet, synthesizePipeline, type SynthesizedFleet } from '../../loadtest/offline/synth';
import { judgeLmiContainerStart, lmiVersionOfImage } from '../../loadtest/local/judges/lmi-launcher';
import { judgeContainerStart, tgiVersionOfImage } from '../../loadtest/local/judges/tgi-launcher';
import { readTemplateDeployment } from '../../loadtest/offline/template-deployment';
import { startTemplateEndpoint } from '../../loadtest/offline/template-endpoint';
import type { CfnTemplate } from '../../loadtest/offline/definition';
import { modelAccessCalls, modelAccessFailure } from '../../loadtest/offline/execution-role';
import { cloneSynthesized, modelEnvironment, propertiesOfType, roleStatements, withStartableContainers } from './template-fixture';

/**
 * The offline run consumes the deployable artifact: the local endpoint is built from each
 * deployment's synthesized template, its container environment goes through the TGI launcher
 * judge and every AWS call through the IAM judge.
 */
const VARIANT = 'llama-2-7b-g5-2xlarge';
const IC = 'llama-2-7b-p4d-ic-8x-tp1';
const FAST = { durationS: 30, warmupRequests: 1, concurrency: [1, 2], plateauGain: 0 } as const;

function studyVariantAndIc(): ResolvedFleet {
  const fleet = resolveFleet(loadFleetFile('fleets/published-study.yaml'), { region: 'us-east-1' });
  return { ...fleet, deployments: fleet.deployments.filter((d) => d.id === VARIANT || d.id === IC) };
}

let synthesized: SynthesizedFleet;
/** Names the fleet gives a deployment's endpoint and component. */
function names(id: string): { endpoint: string; component: string } {
  const d = synthesized.fleet.deployments.find((x) => x.id === id);
  return { endpoint: d?.endpointName ?? '', component: d?.inferenceComponentName ?? '' };
}
beforeAll(() => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  synthesized = synthesizePipeline(studyVariantAndIc());
});

function run(synth: SynthesizedFleet, deployment: string, overrides: Partial<OfflineOptions> = {}): Promise<OfflineResult> {
  return runOffline({ synthesized: synth, deployment, speedup: 60, outDir: mkdtempSync(path.join(tmpdir(), 'llm-bench-artifact-')), benchmark: FAST, ...overrides });
}

describe('the local endpoint is what the template declares', () => {
  it("model, instance, routing, copies and the container's settings come from the template", async () => {
    const synth = withStartableContainers(synthesized);
    const env = modelEnvironment(synth, IC);
    env.MAX_CONCURRENT_REQUESTS = '7';
    const [component] = propertiesOfType(synth.deploymentTemplates[IC] as CfnTemplate, 'AWS::SageMaker::InferenceComponent');
    (component?.RuntimeConfig as { CopyCount: number }).CopyCount = 4;
    const deployment = readTemplateDeployment(synth.deploymentTemplates[IC] as CfnTemplate, synth.region);
    expect(deployment).toMatchObject({
      endpointName: names(IC).endpoint,
      variantName: 'AllTraffic',
      instances: 1,
      routingStrategy: 'LEAST_OUTSTANDING_REQUESTS',
      managedInstanceScaling: { status: 'ENABLED', minInstances: 1, maxInstances: 1 },
      components: [{ name: names(IC).component, copies: 4, acceleratorsPerCopy: 1 }],
    });
    expect(deployment.model.id).toBe('llama-2-7b');
    expect(deployment.instance.name).toBe('ml.p4d.24xlarge');
    expect(deployment.image).toContain('tgi2.3.1');
    const { endpoint } = await startTemplateEndpoint(deployment, { speedup: 60 });
    try {
      const info = (await (await fetch(`${endpoint.url}/info`)).json()) as Record<string, unknown> & { local: Record<string, unknown> };
      expect(info.max_concurrent_requests).toBe(7);
      expect(info.max_input_tokens).toBe(4095);
      expect(info.num_shard).toBe(1);
      expect(info.local).toMatchObject({ instance_type: 'ml.p4d.24xlarge', copies: 4, tp: 1, routing_strategy: 'LEAST_OUTSTANDING_REQUESTS', inference_components: [names(IC).component] });
    } finally {
      await endpoint.close();
    }
  });

  it('the scalable targets the stacks register: variant instances, and components that scale out from zero', () => {
    const g6e = synthesizeFleet({ fleetPath: 'fleets/examples/llama-3-1-8b-g6e.yaml' });
    const scaled = Object.values(g6e.deploymentTemplates).map((t) => readTemplateDeployment(t, g6e.region)).find((d) => d.scalableTargets.length > 0);
    expect(scaled?.scalableTargets).toEqual([
      { resourceId: `endpoint/${scaled?.endpointName}/variant/AllTraffic`, scalableDimension: 'sagemaker:variant:DesiredInstanceCount', minCapacity: 1, maxCapacity: 2, scaleOutFromZero: false },
    ]);
    const zero = synthesizeFleet({ fleetPath: 'fleets/examples/scale-to-zero-ic.yaml' });
    const [d] = Object.values(zero.deploymentTemplates).map((t) => readTemplateDeployment(t, zero.region));
    expect(d?.scalableTargets).toEqual([
      { resourceId: `inference-component/${d?.components[0]?.name}`, scalableDimension: 'sagemaker:inference-component:DesiredCopyCount', minCapacity: 0, maxCapacity: 4, scaleOutFromZero: true },
    ]);
  });

  it('a variant without RoutingConfig routes at random, as SageMaker does by default', () => {
    const deployment = readTemplateDeployment(synthesized.deploymentTemplates[VARIANT] as CfnTemplate, synthesized.region);
    expect(deployment.routingStrategy).toBe('RANDOM');
    expect(deployment.components).toEqual([]);
  });
});

describe('container start judge in the offline run', () => {
  it('a template whose env sets MAX_INPUT_TOKENS and MAX_INPUT_LENGTH leaves the endpoint Failed with the launcher message', async () => {
    const synth = cloneSynthesized(synthesized);
    const env = modelEnvironment(synth, VARIANT);
    env.MAX_INPUT_TOKENS = '4095';
    env.MAX_INPUT_LENGTH = '2048';
    const result = await run(synth, VARIANT);
    expect(result.succeeded).toBe(false);
    expect(result.container).toMatchObject({ started: false, stage: 'arguments' });
    expect(result.sweep?.failure?.step).toBe('DescribeEndpoint');
    expect(result.sweep?.failure?.message).toContain(`endpoint ${names(VARIANT).endpoint} is Failed: The primary container for production variant AllTraffic did not pass the ping health check`);
    expect(result.sweep?.failure?.message).toContain('Both `max_input_tokens` (4095) and `max_input_length` (2048) are set.');
    expect(result.sweep?.levels).toEqual([]);
  });
});

describe('IAM judge in the offline run', () => {
  it("removing the inference component's ARN from the worker policy makes the IC sweep fail with AccessDenied (and the report's pricing grant: its Price List call)", async () => {
    const synth = withStartableContainers(synthesized);
    for (const statement of roleStatements(synth, 'BenchmarkStepsReportServiceRole')) {
      if (statement.Action === 'pricing:GetProducts') statement.Action = 'pricing:DescribeServices';
    }
    for (const statement of roleStatements(synth, 'BenchmarkStepsRunWorkerServiceRole')) {
      if (!String(statement.Action).includes('sagemaker:InvokeEndpoint')) continue;
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      statement.Resource = resources.filter((r) => !JSON.stringify(r).includes(':inference-component/'));
    }
    const prices = await startPriceListServer({ products: [{ instance: 'ml.p4d.24xlarge', region: 'us-east-1', usd: 37.7 }] });
    let result: OfflineResult;
    try {
      result = await run(synth, IC, { priceListUrl: prices.url, benchmark: { ...FAST, concurrency: [1] } });
    } finally {
      await prices.close();
    }
    const denied = result.iam.filter((c) => !c.allowed);
    expect(denied).toEqual([
      {
        role: expect.stringMatching(/^BenchmarkStepsRunWorkerServiceRole/),
        action: expect.stringMatching(/^sagemaker:InvokeEndpoint/),
        resource: `arn:aws:sagemaker:us-east-1:123456789012:inference-component/${names(IC).component}`,
        allowed: false,
      },
      { role: expect.stringMatching(/^BenchmarkStepsReportServiceRole/), action: 'pricing:GetProducts', resource: '*', allowed: false },
    ]);
    const level = result.sweep?.levels[0];
    expect(level?.ok).toBe(0);
    expect(level?.requests).toBeGreaterThan(0);
    const records = path.join(path.dirname(result.files.json), 'records');
    const { gunzipSync } = await import('node:zlib');
    const first = gunzipSync(readFileSync(path.join(records, 'c-1-w0.jsonl.gz'))).toString('utf8').split('\n')[0] as string;
    expect(JSON.parse(first)).toMatchObject({ status: 403, errorMessage: expect.stringContaining('AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/') });
  });

  it.each([VARIANT, IC])('every AWS call of a normal offline run of %s is allowed by the synthesized policies', async (deployment) => {
    // The report step reads prices from a loopback Price List API, as in AWS.
    const prices = await startPriceListServer({ products: [{ instance: 'ml.g5.2xlarge', region: 'us-east-1', usd: 1.4 }] });
    let result: OfflineResult;
    try {
      result = await run(synthesized, deployment, { priceListUrl: prices.url });
    } finally {
      await prices.close();
    }
    expect(result.error).toBeUndefined();
    expect(result.iam.filter((c) => !c.allowed)).toEqual([]);
    const actions = new Set(result.iam.map((c) => c.action));
    for (const action of ['lambda:InvokeFunction', 'sagemaker:DescribeEndpoint', 's3:GetObject', 's3:PutObject', 's3:ListBucket', 'pricing:GetProducts']) expect(actions).toContain(action);
    expect([...actions].some((a) => a.startsWith('sagemaker:InvokeEndpoint'))).toBe(true);
    if (deployment === IC) {
      expect(actions).toContain('sagemaker:DescribeInferenceComponent');
      expect(result.iam.some((c) => c.resource.includes(':inference-component/') && c.action.startsWith('sagemaker:InvokeEndpoint'))).toBe(true);
    }
  });
});

describe("the Model's execution role (image pull, model data) before the container starts", () => {
  const ctx = { region: 'us-east-1', account: '123456789012' };
  const facts = (synth: SynthesizedFleet) => {
    const d = readTemplateDeployment(synth.deploymentTemplates[VARIANT] as CfnTemplate, synth.region);
    return { image: d.image, modelDataS3Uri: d.modelDataS3Uri };
  };
  const executionPolicies = (synth: SynthesizedFleet) =>
    propertiesOfType(synth.deploymentTemplates[VARIANT] as CfnTemplate, 'AWS::IAM::Policy').map((p) => p.PolicyDocument as { Statement: Record<string, unknown>[] });

  it('the synthesized role can pull the image and read the model data', async () => {
    const calls = modelAccessCalls(facts(synthesized)).map((c) => c.action);
    expect(calls).toEqual(['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 's3:ListBucket', 's3:GetObject']);
    await expect(modelAccessFailure(synthesized.deploymentTemplates[VARIANT] as CfnTemplate, facts(synthesized), ctx)).resolves.toBeUndefined();
  });

  it('without s3:GetObject on the artifacts the endpoint fails before the container starts', async () => {
    const synth = withStartableContainers(synthesized);
    for (const document of executionPolicies(synth)) document.Statement = document.Statement.filter((s) => s.Action !== 's3:GetObject');
    const message = await modelAccessFailure(synth.deploymentTemplates[VARIANT] as CfnTemplate, facts(synth), ctx);
    expect(message).toContain('Could not access model data at s3://jumpstart-private-cache-prod-us-east-1/meta-textgeneration/meta-textgeneration-llama-2-7b/');
    expect(message).toContain('is not authorized to perform: s3:GetObject');
    const deployment = readTemplateDeployment(synth.deploymentTemplates[VARIANT] as CfnTemplate, synth.region);
    const { endpoint, start } = await startTemplateEndpoint(deployment, { speedup: 60, modelAccess: { template: synth.deploymentTemplates[VARIANT] as CfnTemplate, ...ctx } });
    const client = new SageMakerClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      expect(start).toMatchObject({ started: false, stage: 'model-access' });
      const described = await client.send(new DescribeEndpointCommand({ EndpointName: deployment.endpointName }));
      expect(described).toMatchObject({ EndpointStatus: 'Failed', FailureReason: expect.stringContaining('Could not access model data') });
    } finally {
      client.destroy();
      await endpoint.close();
    }
  });
});

describe('every shipped deployment, as synthesized', () => {
  it.each(['fleets/published-study.yaml', 'fleets/examples/llama-3-1-8b-g6e.yaml', 'fleets/examples/matrix.yaml', 'fleets/examples/scale-to-zero-ic.yaml', 'fleets/examples/engines-llama-3-1-8b.yaml'])(
    '%s: the execution role can prepare it and its container (TGI or LMI) starts',
    async (fleetPath) => {
      const synth = synthesizeFleet({ fleetPath });
      const refused: string[] = [];
      for (const [id, template] of Object.entries(synth.deploymentTemplates)) {
        const d = readTemplateDeployment(template, synth.region);
        const access = await modelAccessFailure(template, { image: d.image, modelDataS3Uri: d.modelDataS3Uri }, { region: synth.region, account: synth.account });
        if (access !== undefined) refused.push(`${id}: ${access}`);
        const visibleGpus = d.components[0]?.acceleratorsPerCopy ?? d.instance.acceleratorCount;
        const host = { model: d.model, instance: d.instance, visibleGpus };
        expect(tgiVersionOfImage(d.image) ?? lmiVersionOfImage(d.image)).toBeDefined();
        const start = lmiVersionOfImage(d.image) !== undefined ? judgeLmiContainerStart(d.image, d.environment, host) : judgeContainerStart(d.image, d.environment, host);
        if (!start.started) refused.push(`${id}: ${start.message}`);
      }
      expect(Object.keys(synth.deploymentTemplates).length).toBeGreaterThan(0);
      expect(refused).toEqual([]);
    },
  );
});
