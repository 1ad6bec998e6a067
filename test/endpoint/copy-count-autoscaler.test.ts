import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeInferenceComponentCommand, SageMakerClient, UpdateInferenceComponentCommand } from '@aws-sdk/client-sagemaker';
import { Template } from 'aws-cdk-lib/assertions';
import { COPY_COUNT_READER_TYPE } from '../../lib/endpoint/copy-count-reader';
import { InferenceComponentEndpoint } from '../../lib/endpoint/inference-component-endpoint';
import { manualClock } from '../../loadtest/local/control-plane/timeline';
import { createControlPlane, type ControlPlane } from '../../loadtest/local/sagemaker-control-plane';
import { llama7b, P4D, testStack } from './helpers';

/**
 * "CopyCount does not fight the autoscaler": a stack update of an autoscaled inference component
 * must not set back the copies Application Auto Scaling chose. Judged on the local control plane
 * (SageMaker's lifecycle) with CloudFormation's update replayed as it runs it: the custom resources
 * the component depends on are updated first (here: the copy-count reader, its Lambda code taken
 * from the synthesized template and run against the control plane), then the component's update
 * handler calls UpdateInferenceComponent with the template's Specification and RuntimeConfig
 * (CopyCount resolved). Sources in lib/endpoint/copy-count-reader.ts.
 */
const COMPONENT = 'llama-ic';
const PLANNED = 2;
const AUTOSCALER_CHOSE = 5;

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

function synthesize(autoscaling: { minCopies: number; maxCopies: number } | 'fixed' = { minCopies: 1, maxCopies: 8 }): Resources {
  const stack = testStack();
  const model = llama7b(stack);
  new InferenceComponentEndpoint(stack, 'Endpoint', {
    instanceType: P4D,
    components: [{ name: COMPONENT, model, copies: PLANNED, ...(autoscaling !== 'fixed' ? { autoscaling: { ...autoscaling, targetValue: 12 } } : {}) }],
  });
  return (Template.fromStack(stack).toJSON() as { Resources: Resources }).Resources;
}

function ofType(resources: Resources, type: string): [string, Resources[string]][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** Substitutes the names (`Ref`, `Fn::GetAtt [id, …Name]`) of the given logical ids with the physical names CloudFormation generated. */
function withRefs(value: unknown, refs: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withRefs(v, refs));
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string' && ref in refs) return refs[ref];
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && getAtt[0] in refs && String(getAtt[1]).endsWith('Name')) return refs[getAtt[0]];
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withRefs(v, refs)]));
}

interface World {
  plane: ControlPlane;
  clock: ReturnType<typeof manualClock>;
  url: string;
  responses: Record<string, unknown>[];
  client: SageMakerClient;
  close(): Promise<void>;
}

/** The local control plane (one component of PLANNED copies) behind a loopback server that also takes CloudFormation's response PUTs. */
async function startWorld(): Promise<World> {
  const clock = manualClock();
  const plane = createControlPlane({
    endpointName: 'ep',
    instanceType: 'ml.p4d.24xlarge',
    instances: 1,
    components: [{ name: COMPONENT, copies: PLANNED, gpus: 1 }],
    creatingDescribeCalls: 0,
    settledStatus: 'InService',
    lifecycle: { copyPlacementMs: 1000 },
    clock: clock.now,
  });
  const responses: Record<string, unknown>[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (request.method === 'PUT') {
        responses.push(JSON.parse(body.toString('utf8')) as Record<string, unknown>);
        response.writeHead(200).end();
      } else if (!plane.handle(String(request.headers['x-amz-target']), body, response)) {
        response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SageMakerClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } });
  clock.advance(PLANNED * 1000);
  return { plane, clock, url, responses, client, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Runs the template's own Lambda code of the reader for one CloudFormation request; its response's Data. */
async function runReader(world: World, resources: Resources, requestType: 'Create' | 'Update', properties: Record<string, unknown>): Promise<Record<string, unknown>> {
  const [[, fn]] = ofType(resources, 'AWS::Lambda::Function').filter(([, r]) => JSON.stringify(r.Properties.Code).includes('DescribeInferenceComponentCommand')) as [[string, Resources[string]]];
  const code = (fn.Properties.Code as { ZipFile: string }).ZipFile;
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ENDPOINT_URL_SAGEMAKER: world.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local' });
  try {
    const module = { exports: {} as { handler?: (event: unknown, context: unknown) => Promise<unknown> } };
    new Function('require', 'module', 'exports', code)(require, module, module.exports);
    const before = world.responses.length;
    await module.exports.handler?.(
      { RequestType: requestType, ResourceProperties: properties, ResponseURL: `${world.url}/cfn-response`, StackId: 'stack', RequestId: 'req', LogicalResourceId: 'Reader' },
      { logStreamName: 'local' },
    );
    const response = world.responses[before] as { Status: string; Reason: string; Data: Record<string, unknown> };
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: properties.InferenceComponentName });
    return response.Data;
  } finally {
    process.env = saved;
  }
}

/**
 * CloudFormation's update of the component after its Model was replaced (new ModelName): the reader
 * first when the component reads it, then UpdateInferenceComponent with the resolved properties.
 */
async function applyComponentUpdate(world: World, resources: Resources): Promise<number | undefined> {
  const refs = Object.fromEntries(ofType(resources, 'AWS::SageMaker::Model').map(([id]) => [id, 'model-v2']));
  const [[, component]] = ofType(resources, 'AWS::SageMaker::InferenceComponent') as [[string, Resources[string]]];
  const runtime = component.Properties.RuntimeConfig as { CopyCount: unknown };
  let copyCount = runtime.CopyCount;
  const getAtt = (copyCount as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt !== undefined) {
    const reader = resources[getAtt[0]];
    expect(reader?.Type).toBe(COPY_COUNT_READER_TYPE);
    copyCount = (await runReader(world, resources, 'Update', withRefs(reader?.Properties, refs) as Record<string, unknown>))[getAtt[1]];
  }
  const spec = withRefs(component.Properties.Specification, refs) as Record<string, unknown>;
  expect(spec.ModelName).toBe('model-v2');
  await world.client.send(new UpdateInferenceComponentCommand({ InferenceComponentName: COMPONENT, Specification: spec, RuntimeConfig: { CopyCount: copyCount as number } }));
  world.clock.advance(60_000);
  const described = await world.client.send(new DescribeInferenceComponentCommand({ InferenceComponentName: COMPONENT }));
  expect(described.InferenceComponentStatus).toBe('InService');
  expect(described.RuntimeConfig?.CurrentCopyCount).toBe(described.RuntimeConfig?.DesiredCopyCount);
  return described.RuntimeConfig?.DesiredCopyCount;
}

describe('CopyCount of an autoscaled inference component does not fight the autoscaler', () => {
  let world: World;
  beforeEach(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    world = await startWorld();
  });
  afterEach(async () => {
    world.client.destroy();
    await world.close();
  });

  it('a stack update that replaces the model keeps the copies the autoscaler chose', async () => {
    // Application Auto Scaling raises the copies (UpdateInferenceComponentRuntimeConfig).
    world.plane.world.setCopyCount(COMPONENT, AUTOSCALER_CHOSE);
    world.clock.advance(10_000);
    expect(world.plane.world.describeComponent(COMPONENT)).toMatchObject({ desiredCopies: AUTOSCALER_CHOSE, currentCopies: AUTOSCALER_CHOSE });
    expect(await applyComponentUpdate(world, synthesize())).toBe(AUTOSCALER_CHOSE);
  });

  it('the hazard is real: the same update with the planned copies written in the template sets them back', async () => {
    world.plane.world.setCopyCount(COMPONENT, AUTOSCALER_CHOSE);
    world.clock.advance(10_000);
    const resources = synthesize();
    const [[, component]] = ofType(resources, 'AWS::SageMaker::InferenceComponent') as [[string, Resources[string]]];
    component.Properties.RuntimeConfig = { CopyCount: PLANNED };
    expect(await applyComponentUpdate(world, resources)).toBe(PLANNED);
  });

  it('at creation the reader answers the planned copies (the component does not exist yet)', async () => {
    const resources = synthesize();
    const [[, reader]] = ofType(resources, COPY_COUNT_READER_TYPE) as [[string, Resources[string]]];
    const created = { ...(reader.Properties as Record<string, unknown>), InferenceComponentName: 'not-created-yet' };
    expect(await runReader(world, resources, 'Create', created)).toEqual({ CopyCount: PLANNED, Source: 'planned' });
  });

  it('copies stay within changed autoscaling bounds: a lowered maximum caps what the update sends', async () => {
    world.plane.world.setCopyCount(COMPONENT, AUTOSCALER_CHOSE);
    world.clock.advance(10_000);
    expect(await applyComponentUpdate(world, synthesize({ minCopies: 1, maxCopies: 4 }))).toBe(4);
  });

  it('a fixed component keeps its copies in the template (the template owns them)', () => {
    const resources = synthesize('fixed');
    expect(ofType(resources, COPY_COUNT_READER_TYPE)).toEqual([]);
    const [[, component]] = ofType(resources, 'AWS::SageMaker::InferenceComponent') as [[string, Resources[string]]];
    expect(component.Properties.RuntimeConfig).toEqual({ CopyCount: PLANNED });
  });

  it('the reader is inline code within the ZipFile limit of 4,096 characters', () => {
    // "ZipFile … (Node.js and Python) … up to 4096 characters": https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-code.html
    const [[, fn]] = ofType(synthesize(), 'AWS::Lambda::Function') as [[string, Resources[string]]];
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler' });
    expect(((fn.Properties.Code as { ZipFile: string }).ZipFile).length).toBeLessThanOrEqual(4096);
  });

  it('the reader may describe only its own component', () => {
    const resources = synthesize();
    const statements = ofType(resources, 'AWS::IAM::Policy').flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'sagemaker:DescribeInferenceComponent',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sagemaker:us-east-1:123456789012:inference-component/${COMPONENT}`]] },
      }),
    );
  });
});
