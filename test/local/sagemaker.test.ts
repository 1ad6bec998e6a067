import { DescribeEndpointCommand, DescribeInferenceComponentCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointCommand,
  InvokeEndpointWithResponseStreamCommand,
  ModelError,
  SageMakerRuntimeClient,
  ValidationError,
  type ResponseStream,
} from '@aws-sdk/client-sagemaker-runtime';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { promptOf, sseData } from './http';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

function runtimeClient(url: string): SageMakerRuntimeClient {
  return new SageMakerRuntimeClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

function body(prompt: string, maxNewTokens: number): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ inputs: prompt, parameters: { max_new_tokens: maxNewTokens, details: true } }));
}

/** Concatenated PayloadPart bytes of a response stream, as text. */
async function collect(stream: AsyncIterable<ResponseStream> | undefined): Promise<{ text: string; parts: number }> {
  let text = '';
  let parts = 0;
  const decoder = new TextDecoder();
  for await (const event of stream ?? []) {
    if (event.PayloadPart?.Bytes) {
      parts += 1;
      text += decoder.decode(event.PayloadPart.Bytes, { stream: true });
    }
  }
  return { text, parts };
}

describe('local endpoint: SageMaker runtime with the real SDK', () => {
  let endpoint: LocalEndpoint;
  let client: SageMakerRuntimeClient;

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({
      model: 'llama-2-7b',
      instance: 'ml.g5.12xlarge',
      tp: 1,
      copies: 2,
      speedup: 50,
      endpointName: 'llama-ic',
      inferenceComponents: ['llama-7b-a', 'llama-7b-b'],
      tgi: { maxConcurrentRequests: 1 },
    });
    client = runtimeClient(endpoint.url);
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
  });

  test('InvokeEndpoint with InferenceComponentName returns the JumpStart TGI list', async () => {
    const output = await client.send(
      new InvokeEndpointCommand({
        EndpointName: 'llama-ic',
        InferenceComponentName: 'llama-7b-b',
        ContentType: 'application/json',
        Body: body(promptOf(30), 12),
      }),
    );
    const parsed = JSON.parse(new TextDecoder().decode(output.Body)) as { generated_text: string; details: { generated_tokens: number } }[];
    expect(parsed).toHaveLength(1);
    expect(parsed[0]?.details).toEqual({ finish_reason: 'length', generated_tokens: 12, seed: null });
    expect(output.ContentType).toBe('application/json');
    expect(output.InvokedProductionVariant).toBe('AllTraffic');
  });

  test('InvokeEndpointWithResponseStream yields PayloadParts carrying TGI events', async () => {
    const output = await client.send(
      new InvokeEndpointWithResponseStreamCommand({
        EndpointName: 'llama-ic',
        InferenceComponentName: 'llama-7b-a',
        ContentType: 'application/json',
        Body: body(promptOf(30), 8),
      }),
    );
    const { text, parts } = await collect(output.Body);
    expect(parts).toBe(8);
    const events = sseData(text).map((d) => JSON.parse(d) as { token: { text: string }; details: { generated_tokens: number } | null });
    expect(events).toHaveLength(8);
    expect(events[7]?.details?.generated_tokens).toBe(8);
    expect(events.slice(0, 7).every((e) => e.details === null)).toBe(true);
  });

  test('unknown or missing inference component: ValidationError naming the components', async () => {
    const send = (component: string | undefined) =>
      client.send(new InvokeEndpointCommand({ EndpointName: 'llama-ic', InferenceComponentName: component, Body: body('Hi', 2) }));
    await expect(send('other')).rejects.toBeInstanceOf(ValidationError);
    await expect(send('other')).rejects.toThrow(/llama-7b-a, llama-7b-b/);
    await expect(send(undefined)).rejects.toThrow(/Inference Component Name header is required/);
  });

  test('unknown endpoint: ValidationError', async () => {
    const error = await client.send(new InvokeEndpointCommand({ EndpointName: 'nope', Body: body('Hi', 2) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).$metadata.httpStatusCode).toBe(400);
  });

  test('container overload surfaces as ModelError 424 carrying the original 429', async () => {
    // MAX_CONCURRENT_REQUESTS is 1 per copy: a third request at once on one component is refused.
    const send = () =>
      client
        .send(new InvokeEndpointCommand({ EndpointName: 'llama-ic', InferenceComponentName: 'llama-7b-a', Body: body(promptOf(20), 1500) }))
        .then(() => undefined)
        .catch((e: unknown) => e);
    const outcomes = await Promise.all([send(), send(), send()]);
    const errors = outcomes.filter((o) => o !== undefined);
    expect(errors).toHaveLength(1);
    const error = errors[0] as ModelError;
    expect(error).toBeInstanceOf(ModelError);
    expect(error.$metadata.httpStatusCode).toBe(424);
    expect(error.OriginalStatusCode).toBe(429);
    expect(JSON.parse(error.OriginalMessage ?? '')).toEqual({ error: 'Model is overloaded', error_type: 'overloaded' });
    expect(error.LogStreamArn).toContain('/aws/sagemaker/Endpoints/llama-ic');
  });

  test('validation errors of the container: ModelError with OriginalStatusCode 422', async () => {
    const error = await client
      .send(new InvokeEndpointCommand({ EndpointName: 'llama-ic', InferenceComponentName: 'llama-7b-a', Body: body('Hi', 5000) }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).OriginalStatusCode).toBe(422);
    expect((error as ModelError).message).toContain('Received client error (422) from primary');
  });
});

describe('local endpoint: SageMaker invocation deadline', () => {
  test('InvokeEndpoint past the invocation timeout: ModelError saying it timed out; the engine drops the request', async () => {
    // 1,500 tokens take ~45 s of virtual time; a 3 s deadline (virtual) cuts them at 60 ms of wall time.
    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: 50, invocationTimeoutMs: 3000 });
    const client = runtimeClient(endpoint.url);
    try {
      const error = await client
        .send(new InvokeEndpointCommand({ EndpointName: 'local-endpoint', Body: body(promptOf(20), 1500) }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelError);
      expect((error as ModelError).message).toMatch(/invocation timed out/);
      expect(endpoint.inFlight()).toBe(0);
    } finally {
      client.destroy();
      await endpoint.close();
    }
  });
});

describe('local endpoint: SageMaker control plane with the real SDK', () => {
  test('DescribeEndpoint and DescribeInferenceComponent report Creating, then InService', async () => {
    const endpoint = await startLocalEndpoint({
      model: 'llama-2-7b',
      instance: 'ml.g5.2xlarge',
      endpointName: 'bench-ep',
      inferenceComponents: ['ic-1'],
      creatingDescribeCalls: 2,
    });
    const client = new SageMakerClient({ endpoint: endpoint.url, region: 'us-east-1', credentials });
    try {
      const statuses: (string | undefined)[] = [];
      for (let i = 0; i < 3; i += 1) {
        statuses.push((await client.send(new DescribeEndpointCommand({ EndpointName: 'bench-ep' }))).EndpointStatus);
      }
      expect(statuses).toEqual(['Creating', 'Creating', 'InService']);
      const described = await client.send(new DescribeEndpointCommand({ EndpointName: 'bench-ep' }));
      expect(described.CreationTime).toBeInstanceOf(Date);
      expect(described.ProductionVariants?.[0]?.CurrentInstanceCount).toBe(1);
      const component = await client.send(new DescribeInferenceComponentCommand({ InferenceComponentName: 'ic-1' }));
      expect(component).toMatchObject({ InferenceComponentStatus: 'Creating', EndpointName: 'bench-ep', RuntimeConfig: { DesiredCopyCount: 1 } });
      const missing = await client.send(new DescribeEndpointCommand({ EndpointName: 'missing' })).catch((e: unknown) => e);
      expect(missing).toMatchObject({ name: 'ValidationException', message: 'Could not find endpoint "missing".' });
    } finally {
      client.destroy();
      await endpoint.close();
    }
  });

  test('settledStatus Failed: DescribeEndpoint answers Failed with a FailureReason', async () => {
    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', settledStatus: 'Failed' });
    const client = new SageMakerClient({ endpoint: endpoint.url, region: 'us-east-1', credentials });
    try {
      const described = await client.send(new DescribeEndpointCommand({ EndpointName: 'local-endpoint' }));
      expect(described.EndpointStatus).toBe('Failed');
      expect(described.FailureReason).toMatch(/Injected failure/);
    } finally {
      client.destroy();
      await endpoint.close();
    }
  });
});
