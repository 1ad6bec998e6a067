import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { createPayloadSource } from '../../loadtest/payload';
import { runLevel } from '../../loadtest/runner/run-level';
import { createTarget, parseTargetSpec } from '../../loadtest/targets';

const SPEEDUP = 100;
const payload = createPayloadSource({ inputTokens: 128, outputTokens: 12 });

describe('every target against the local endpoint (TGI, OpenAI and SageMaker runtime protocols)', () => {
  let endpoint: LocalEndpoint;
  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', speedup: SPEEDUP });
  });
  afterAll(() => endpoint.close());

  it.each([
    ['tgi', false],
    ['tgi', true],
    ['openai', false],
    ['openai', true],
    ['sagemaker', false],
    ['sagemaker', true],
  ])('%s (stream=%s): a closed-loop level completes every request', async (kind, stream) => {
    const spec = kind === 'sagemaker' ? `sagemaker:${endpoint.endpointName}` : `${kind}:${endpoint.url}`;
    const target = createTarget(parseTargetSpec(spec), { maxSockets: 3, stream, endpointUrl: endpoint.url });
    try {
      const { records, level } = await runLevel({ target, payload, concurrency: 3, requests: 6, warmupRequests: 1, speedup: SPEEDUP });
      expect(records).toHaveLength(7);
      expect(level).toMatchObject({ requests: 6, ok: 6, errors: {} });
      for (const r of records) {
        expect(r.outputTokens).toBeGreaterThan(0);
        expect(r.outputTokens).toBeLessThanOrEqual(12);
      }
      // The twin counts the prompt with the same Llama tokenizer when it reports it.
      for (const r of records) if (r.serverInputTokens !== undefined) expect(r.serverInputTokens).toBe(128);
      if (stream) expect(level.ttftMs?.p50).toBeGreaterThan(0);
      else expect(level.ttftMs).toBeUndefined();
    } finally {
      await target.close();
    }
  });
});

describe('SageMaker targets under the local endpoint’s injected faults', () => {
  it.each([false, true])('accounts for every request exactly once (stream=%s)', async (stream) => {
    const endpoint = await startLocalEndpoint({
      model: 'llama-2-7b',
      instance: 'ml.g5.2xlarge',
      speedup: SPEEDUP,
      faults: 'overload=0.1,5xx=0.1,hang=0.05,reset=0.05,garbage=0.05,truncate=0.05,throttle=0.1,seed=3',
    });
    const target = createTarget(parseTargetSpec(`sagemaker:${endpoint.endpointName}`), {
      maxSockets: 6,
      stream,
      endpointUrl: endpoint.url,
      retries: 0,
      timeoutMs: 1000,
    });
    try {
      const { records, level } = await runLevel({ target, payload, concurrency: 6, requests: 60, speedup: SPEEDUP });
      expect(records).toHaveLength(60);
      const errors = Object.values(level.errors).reduce((sum, n) => sum + (n ?? 0), 0);
      expect(level.ok + errors).toBe(60);
      expect(level.ok).toBe(records.filter((r) => r.error === undefined).length);
      expect(errors).toBeGreaterThan(10);
      const allowed = ['overloaded', 'throttled', 'model_error', 'timeout', 'network', 'invalid_response'];
      for (const kind of Object.keys(level.errors)) expect(allowed).toContain(kind);
      expect(level.timeouts).toBe(level.errors.timeout ?? 0);
    } finally {
      await target.close();
      await endpoint.close();
    }
  });
});
