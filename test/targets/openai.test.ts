import { createTarget, parseTargetSpec } from '../../loadtest/targets';
import type { ErrorKind } from '../../lib/results/records';
import { type FaultMode, startFaultServer } from '../support/fault-server';
import { generationRequest, NO_ABORT } from '../support/requests';

describe.each([
  [false, 'lean'],
  [true, 'lean'],
  [false, 'undici'],
  [true, 'undici'],
] as const)('OpenAI /v1/completions target (stream=%s, %s HTTP client)', (stream, httpClient) => {
  it('takes output tokens from usage.completion_tokens', async () => {
    const server = await startFaultServer({ promptTokens: 6, eventsPerWrite: 2 });
    const target = createTarget(parseTargetSpec(`openai:${server.url}/v1`), { maxSockets: 1, httpClient, stream, model: 'llama' });
    try {
      const record = await target.generate(generationRequest({ maxNewTokens: 9 }), NO_ABORT);
      expect(record.error).toBeUndefined();
      expect(record.outputTokens).toBe(9);
      expect(record.serverInputTokens).toBe(6);
      expect(server.received['/v1/completions']).toBe(1);
      expect(target.description.kind).toBe(stream ? 'openai-stream' : 'openai');
      if (stream) expect(record.firstTokenMs).toBeGreaterThanOrEqual(record.sentMs);
    } finally {
      await target.close();
      await server.close();
    }
  });

  it.each<[FaultMode, ErrorKind]>([
    ['429', 'overloaded'],
    ['500', 'server_error'],
    ['hang', 'timeout'],
    ['reset', 'network'],
    ['garbage', 'invalid_response'],
    ['truncated', 'invalid_response'],
  ])('maps fault %s to %s', async (mode, kind) => {
    const server = await startFaultServer({ modes: [mode] });
    const target = createTarget(parseTargetSpec(`openai:${server.url}`), { maxSockets: 1, httpClient, stream, timeoutMs: 1000 });
    try {
      const record = await target.generate(generationRequest(), NO_ABORT);
      expect(record.error).toBe(kind);
    } finally {
      await target.close();
      await server.close();
    }
  });
});
