import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { createPayloadSource } from '../../loadtest/payload';
import { runLevel } from '../../loadtest/runner/run-level';
import { createTarget, type TargetSpec } from '../../loadtest/targets';

/**
 * Every target of the load generator against the local endpoint: each request succeeds with the
 * server's token counts, streams report a first token, and faults arrive classified.
 */

const OUTPUT_TOKENS = 24;

describe('load generator targets against the local endpoint', () => {
  let endpoint: LocalEndpoint;

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({
      model: 'llama-2-7b',
      instance: 'ml.g5.12xlarge',
      tp: 2,
      copies: 2,
      // Low speedup: each request lasts ~150 ms of wall time, so HTTP overhead stays small in virtual time.
      speedup: 5,
      endpointName: 'twin',
      inferenceComponents: ['ic-main'],
    });
  });
  afterAll(() => endpoint.close());

  const cases: [string, () => TargetSpec, boolean][] = [
    ['tgi', () => ({ kind: 'tgi', url: endpoint.url }), false],
    ['tgi stream', () => ({ kind: 'tgi', url: endpoint.url }), true],
    ['openai', () => ({ kind: 'openai', url: endpoint.url }), false],
    ['openai stream', () => ({ kind: 'openai', url: endpoint.url }), true],
    ['sagemaker', () => ({ kind: 'sagemaker', endpointName: 'twin', inferenceComponent: 'ic-main' }), false],
    ['sagemaker stream', () => ({ kind: 'sagemaker', endpointName: 'twin', inferenceComponent: 'ic-main' }), true],
  ];

  test.each(cases)('%s: every request ok with the server-reported token counts', async (_name, spec, stream) => {
    const target = createTarget(spec(), { maxSockets: 4, stream, endpointUrl: endpoint.url, region: 'us-east-1', retries: 0 });
    try {
      const { records, level } = await runLevel({
        target,
        payload: createPayloadSource({ inputTokens: 64, outputTokens: OUTPUT_TOKENS }),
        concurrency: 4,
        requests: 8,
        speedup: endpoint.speedup,
      });
      expect(level.requests).toBe(8);
      expect(level.errors).toEqual({});
      expect(records.every((r) => r.outputTokens === OUTPUT_TOKENS)).toBe(true);
      if (stream) expect(records.every((r) => r.firstTokenMs !== undefined && r.firstTokenMs < r.endMs)).toBe(true);
      // Llama 2 7B at TP 2 on A10G, batch ≤ 2 per copy: some 20-40 ms per token in virtual time
      // (plus wall-clock overhead × speedup on a busy machine).
      expect(level.latencyMsPerToken.mean).toBeGreaterThan(10);
      expect(level.latencyMsPerToken.mean).toBeLessThan(100);
    } finally {
      await target.close();
    }
  });

  test('faults arrive classified: overloaded, server_error, network, invalid_response', async () => {
    const faulty = await startLocalEndpoint({
      model: 'llama-2-7b',
      instance: 'ml.g5.2xlarge',
      speedup: 50,
      faults: 'overload=0.2,5xx=0.2,reset=0.2,garbage=0.2,seed=11',
    });
    const target = createTarget({ kind: 'tgi', url: faulty.url }, { maxSockets: 2 });
    try {
      const { level } = await runLevel({
        target,
        payload: createPayloadSource({ inputTokens: 32, outputTokens: 4 }),
        concurrency: 2,
        requests: 60,
        speedup: faulty.speedup,
      });
      expect(level.requests).toBe(60);
      for (const kind of ['overloaded', 'server_error', 'network', 'invalid_response'] as const) {
        expect({ kind, seen: (level.errors[kind] ?? 0) > 0 }).toEqual({ kind, seen: true });
      }
      const errors = Object.values(level.errors).reduce((sum, n) => sum + (n ?? 0), 0);
      expect(level.ok + errors).toBe(60);
    } finally {
      await target.close();
      await faulty.close();
    }
  });
});
