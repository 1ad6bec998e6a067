import { createPayloadSource } from '../../loadtest/payload';
import { runLevel } from '../../loadtest/runner/run-level';
import { createTarget, parseTargetSpec, type TargetOptions } from '../../loadtest/targets';
import { startChunkedStreamServer, type ChunkedStreamServer } from '../support/chunked-stream-server';

/**
 * Chat streams whose chunks carry 3 tokens each, paced 100 ms apart: output tokens come from the
 * server's usage (12, not the 4 content chunks), so TPOT/ITL = (e2e − TTFT) / (tokens − 1) spreads
 * the 3 gaps over 11 token intervals: ≈ 3 × 100 / 11 ≈ 27 ms, where counting chunks would give 100 ms.
 */
// Gaps long enough that a loaded machine's scheduling delay (tens of ms) stays small beside them.
const OPTIONS = { tokensPerChunk: 3, chunks: 4, gapMs: 100, promptTokens: 57 };
const TOKENS = OPTIONS.tokensPerChunk * OPTIONS.chunks;

describe.each<[string, (server: ChunkedStreamServer) => [string, TargetOptions]]>([
  ['OpenAI SSE (/v1/chat/completions)', (server) => [`openai:${server.url}`, { maxSockets: 1, stream: true, api: 'chat', model: 'm' }]],
  [
    'SageMaker LMI JSON lines (real SDK)',
    (server) => ['sagemaker:lmi-chunks', { maxSockets: 1, stream: true, api: 'chat', container: 'lmi', endpointUrl: server.url, retries: 0 }],
  ],
])('%s with 3-token chunks', (_name, targetOf) => {
  it('takes the token count from usage and spreads each gap over its tokens', async () => {
    const server = await startChunkedStreamServer(OPTIONS);
    const [spec, options] = targetOf(server);
    const target = createTarget(parseTargetSpec(spec), options);
    try {
      const { records, level } = await runLevel({
        target,
        payload: createPayloadSource({ inputTokens: 57, outputTokens: TOKENS, api: 'chat' }),
        concurrency: 1,
        requests: 3,
        warmupRequests: 0,
      });
      expect(records.map((r) => [r.error, r.outputTokens, r.serverInputTokens, r.shortOutput])).toEqual(Array(3).fill([undefined, TOKENS, 57, undefined]));
      // One gap per chunk after the first write (role + first content chunk arrive together).
      expect(records.every((r) => r.interChunkGapsMs !== undefined && r.interChunkGapsMs.length >= OPTIONS.chunks - 1)).toBe(true);
      const expectedItl = ((OPTIONS.chunks - 1) * OPTIONS.gapMs) / (TOKENS - 1);
      expect(level.itlMs?.p50).toBeGreaterThan(expectedItl * 0.9);
      expect(level.itlMs?.p50).toBeLessThan(expectedItl * 1.6);
      expect(level.ttftMs?.p50).toBeLessThan(OPTIONS.gapMs);
      // The request was a chat body asking for usage and an exact length (vLLM's ignore_eos).
      expect(server.bodies[0]).toMatchObject({ max_tokens: TOKENS, stream: true, stream_options: { include_usage: true }, ignore_eos: true });
      expect((server.bodies[0]?.messages as { role: string }[])[0]?.role).toBe('user');
      expect(target.description.api).toBe('chat');
    } finally {
      await target.close();
      await server.close();
    }
  });
});
