import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import type { ErrorKind } from '../../lib/results/records';
import { createTarget, parseTargetSpec } from '../../loadtest/targets';
import { generationRequest, NO_ABORT } from '../support/requests';

const SPEEDUP = 100;

function sdkClient(endpoint: LocalEndpoint, maxAttempts = 1): SageMakerRuntimeClient {
  return new SageMakerRuntimeClient({
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts,
  });
}

describe.each([false, true])('SageMaker target against the local endpoint (stream=%s)', (stream) => {
  it('invokes through the real SDK with a pool sized by maxSockets', async () => {
    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: SPEEDUP });
    // No injected client: the target builds its own (NodeHttpHandler, keep-alive agent, standard retries).
    const target = createTarget(parseTargetSpec(`sagemaker:${endpoint.endpointName}`), { maxSockets: 4, stream, endpointUrl: endpoint.url });
    try {
      const records = await Promise.all([0, 1, 2].map((worker) => target.generate(generationRequest({ maxNewTokens: 12, worker }), NO_ABORT)));
      for (const record of records) {
        expect(record.error).toBeUndefined();
        expect(record.status).toBe(200);
        expect(record.outputTokens).toBeGreaterThan(0);
        expect(record.outputTokens).toBeLessThanOrEqual(12);
        expect(record.retries).toBe(0);
        if (stream) {
          expect(record.firstTokenMs).toBeGreaterThanOrEqual(record.sentMs);
          expect(record.firstTokenMs).toBeLessThanOrEqual(record.endMs);
        }
      }
      expect(target.description).toMatchObject({ kind: stream ? 'sagemaker-stream' : 'sagemaker' });
    } finally {
      await target.close();
      await endpoint.close();
    }
  });

  it('names the inference component', async () => {
    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.12xlarge', tp: 1, copies: 2, speedup: SPEEDUP, inferenceComponents: ['ic-a', 'ic-b'] });
    const client = sdkClient(endpoint);
    const target = createTarget(parseTargetSpec(`sagemaker:${endpoint.endpointName}:ic-b`), { maxSockets: 1, stream, sagemakerClient: client });
    const missing = createTarget(parseTargetSpec(`sagemaker:${endpoint.endpointName}:ic-zzz`), { maxSockets: 1, stream, sagemakerClient: client });
    try {
      expect((await target.generate(generationRequest(), NO_ABORT)).error).toBeUndefined();
      expect(target.description.inferenceComponent).toBe('ic-b');
      expect((await missing.generate(generationRequest(), NO_ABORT)).error).toBe('client_error');
    } finally {
      client.destroy();
      await endpoint.close();
    }
  });

  const faults: [string, ErrorKind][] = [
    ['overload=1', 'overloaded'],
    ['throttle=1', 'throttled'],
    ['5xx=1', 'model_error'],
    ['hang=1', 'timeout'],
    ['reset=1', 'network'],
    ['garbage=1', 'invalid_response'],
    ['truncate=1', 'invalid_response'],
  ];
  it.each(faults)('maps injected fault %s to %s', async (faults, kind) => {
    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: SPEEDUP, faults });
    const client = sdkClient(endpoint);
    const target = createTarget(parseTargetSpec(`sagemaker:${endpoint.endpointName}`), { maxSockets: 1, stream, sagemakerClient: client, timeoutMs: 1000 });
    try {
      const record = await target.generate(generationRequest(), NO_ABORT);
      expect(record.error).toBe(kind);
      expect(record.outputTokens).toBe(0);
    } finally {
      client.destroy();
      await endpoint.close();
    }
  });

  it('counts SDK retries of throttled requests from $metadata.attempts', async () => {
    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: SPEEDUP, faults: 'throttle=1' });
    const target = createTarget(parseTargetSpec(`sagemaker:${endpoint.endpointName}`), { maxSockets: 1, stream, endpointUrl: endpoint.url, retries: 2 });
    try {
      const record = await target.generate(generationRequest(), NO_ABORT);
      expect(record.error).toBe('throttled');
      expect(record.retries).toBe(2);
    } finally {
      await target.close();
      await endpoint.close();
    }
  });
});

describe('SageMaker target cancellation', () => {
  it('cancels every request in flight when the level signal aborts, one record each', async () => {
    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: SPEEDUP, faults: 'hang=1' });
    const target = createTarget(parseTargetSpec(`sagemaker:${endpoint.endpointName}`), { maxSockets: 4, stream: true, endpointUrl: endpoint.url });
    const controller = new AbortController();
    try {
      setTimeout(() => controller.abort(), 150);
      const records = await Promise.all([0, 1, 2, 3].map((worker) => target.generate(generationRequest({ worker }), controller.signal)));
      expect(records.map((r) => r.error)).toEqual(['network', 'network', 'network', 'network']);
      expect(records[0].errorMessage).toMatch(/aborted by the caller/);
    } finally {
      await target.close();
      await endpoint.close();
    }
  });
});
