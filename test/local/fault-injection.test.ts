import {
  InvokeEndpointCommand,
  InvokeEndpointWithResponseStreamCommand,
  ModelError,
  ModelStreamError,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { post, promptOf, sseData } from './http';

/** Each fault kind at rate 1, observed on the wire through TGI, OpenAI and SageMaker routes. */

const start = (faults: string): Promise<LocalEndpoint> =>
  startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: 50, faults, endpointName: 'faulty' });

const generateBody = { inputs: promptOf(20), parameters: { max_new_tokens: 10, details: true } };

async function withEndpoint(faults: string, run: (endpoint: LocalEndpoint) => Promise<void>): Promise<void> {
  const endpoint = await start(faults);
  try {
    await run(endpoint);
  } finally {
    await endpoint.close();
  }
}

function sagemaker(endpoint: LocalEndpoint): SageMakerRuntimeClient {
  return new SageMakerRuntimeClient({
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
}

const sagemakerBody = new TextEncoder().encode(JSON.stringify(generateBody));

describe('local endpoint fault injection', () => {
  test('overload: TGI 429, OpenAI 429, SageMaker ModelError carrying 429', async () => {
    await withEndpoint('overload=1', async (endpoint) => {
      const tgi = await post(`${endpoint.url}/generate`, generateBody);
      expect(tgi.status).toBe(429);
      expect(JSON.parse(tgi.text)).toEqual({ error: 'Model is overloaded', error_type: 'overloaded' });
      expect((await post(`${endpoint.url}/v1/completions`, { prompt: 'Hi', max_tokens: 2 })).status).toBe(429);
      const client = sagemaker(endpoint);
      const error = await client.send(new InvokeEndpointCommand({ EndpointName: 'faulty', Body: sagemakerBody })).catch((e: unknown) => e);
      const streamError = await client
        .send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'faulty', Body: sagemakerBody }))
        .catch((e: unknown) => e);
      client.destroy();
      expect(error).toBeInstanceOf(ModelError);
      expect((error as ModelError).OriginalStatusCode).toBe(429);
      // Refused before the stream began: an HTTP error, not a stream event.
      expect(streamError).toBeInstanceOf(ModelError);
      expect((streamError as ModelError).OriginalStatusCode).toBe(429);
    });
  });

  test('5xx: TGI 500 generation error; streams fail half-way with an error event / ModelStreamError', async () => {
    await withEndpoint('5xx=1', async (endpoint) => {
      const tgi = await post(`${endpoint.url}/generate`, generateBody);
      expect(tgi.status).toBe(500);
      expect(JSON.parse(tgi.text)).toMatchObject({ error_type: 'generation' });
      const stream = await post(`${endpoint.url}/generate_stream`, generateBody);
      expect(stream.status).toBe(200);
      const events = sseData(stream.text).map((d) => JSON.parse(d) as Record<string, unknown>);
      expect(events).toHaveLength(6); // 5 tokens, then the error event
      expect(events[5]).toMatchObject({ error_type: 'generation' });

      const client = sagemaker(endpoint);
      const output = await client.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'faulty', Body: sagemakerBody }));
      let parts = 0;
      const error = await (async () => {
        for await (const event of output.Body ?? []) if (event.PayloadPart) parts += 1;
      })().catch((e: unknown) => e);
      client.destroy();
      expect(parts).toBe(5);
      expect(error).toBeInstanceOf(ModelStreamError);
      expect((error as ModelStreamError).ErrorCode).toBe('ModelStreamError');
    });
  });

  test('hang: no answer until the client gives up; the request holds no engine slot', async () => {
    await withEndpoint('hang=1', async (endpoint) => {
      const started = performance.now();
      const error = await fetch(`${endpoint.url}/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(generateBody),
        signal: AbortSignal.timeout(300),
      }).catch((e: unknown) => e);
      expect((error as Error).name).toBe('TimeoutError');
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(endpoint.inFlight()).toBe(0);
    });
  });

  test('reset: the socket is destroyed without an answer', async () => {
    await withEndpoint('reset=1', async (endpoint) => {
      const error = await post(`${endpoint.url}/generate`, generateBody).catch((e: unknown) => e);
      expect((error as Error).name).toBe('TypeError'); // fetch failed (Jest's realm differs: no instanceof)
      const cause = (error as { cause?: { code?: string } }).cause;
      expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(cause?.code);
    });
  });

  test('garbage: 200 with a body or event that is not JSON', async () => {
    await withEndpoint('garbage=1', async (endpoint) => {
      const tgi = await post(`${endpoint.url}/generate`, generateBody);
      expect(tgi.status).toBe(200);
      expect(() => JSON.parse(tgi.text)).toThrow(SyntaxError);
      const stream = await post(`${endpoint.url}/generate_stream`, generateBody);
      expect(stream.status).toBe(200);
      expect(() => sseData(stream.text).map((d) => JSON.parse(d) as unknown)).toThrow(SyntaxError);
      const completion = await post(`${endpoint.url}/v1/completions`, { prompt: 'Hi', max_tokens: 2, stream: true });
      expect(() => sseData(completion.text).map((d) => JSON.parse(d) as unknown)).toThrow(SyntaxError);
    });
  });

  test('truncate: streams stop half-way without the final event; bodies are cut', async () => {
    await withEndpoint('truncate=1', async (endpoint) => {
      const stream = await post(`${endpoint.url}/generate_stream`, generateBody);
      const events = sseData(stream.text).map((d) => JSON.parse(d) as { details: unknown });
      expect(events).toHaveLength(5);
      expect(events.every((e) => e.details === null)).toBe(true);
      const tgi = await post(`${endpoint.url}/generate`, generateBody);
      expect(tgi.status).toBe(200);
      expect(() => JSON.parse(tgi.text)).toThrow(SyntaxError);

      const client = sagemaker(endpoint);
      const output = await client.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'faulty', Body: sagemakerBody }));
      let text = '';
      for await (const event of output.Body ?? []) text += new TextDecoder().decode(event.PayloadPart?.Bytes);
      client.destroy();
      expect(sseData(text)).toHaveLength(5);
      expect(text).not.toContain('generated_tokens');
    });
  });

  test('throttle: SageMaker ThrottlingException (retried by the SDK), TGI 429', async () => {
    await withEndpoint('throttle=1', async (endpoint) => {
      expect((await post(`${endpoint.url}/generate`, generateBody)).status).toBe(429);
      const client = new SageMakerRuntimeClient({
        endpoint: endpoint.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        maxAttempts: 2,
        retryMode: 'standard',
      });
      const error = await client.send(new InvokeEndpointCommand({ EndpointName: 'faulty', Body: sagemakerBody })).catch((e: unknown) => e);
      client.destroy();
      expect((error as Error).name).toBe('ThrottlingException');
      expect((error as { $metadata: { attempts?: number } }).$metadata.attempts).toBe(2);
    });
  });

  test('client disconnect cancels the request in the engine', async () => {
    await withEndpoint('', async (endpoint) => {
      const controller = new AbortController();
      const response = await fetch(`${endpoint.url}/generate_stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: promptOf(20), parameters: { max_new_tokens: 3000 } }),
        signal: controller.signal,
      });
      const reader = response.body?.getReader();
      await reader?.read();
      expect(endpoint.inFlight()).toBe(1);
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(endpoint.inFlight()).toBe(0);
    });
  });
});
