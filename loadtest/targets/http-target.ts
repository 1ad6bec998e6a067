import type { RequestRecord, TargetDescription } from '../../lib/results/records';
import { type Fault, faultFromException, faultFromHttpStatus } from './error-kinds';
import { ExchangeClient, type ChunkSink } from './http-exchange';
import { createHttpConnections, type HttpClientKind } from './http-pool';
import { BodyCache } from './bodies';
import { toRecord } from './record';
import type { GenerationRequest, Target } from './types';

/** Reads a streamed 200 answer (TGI SSE, OpenAI SSE, LMI JSON lines). */
export interface StreamReader extends ChunkSink {
  readonly firstTokenMs: number | undefined;
  readonly outputTokens: number | undefined;
  readonly serverInputTokens: number | undefined;
  readonly interChunkGapsMs: readonly number[];
  readonly chunkTokens: readonly number[];
  /** Ends the stream: its fault, if any (a stream without its final event is truncated). */
  end(): Fault | undefined;
}

/** A protocol over HTTP POST: where to send, how to build the body and read the answer. */
export interface HttpProtocol {
  readonly description: TargetDescription;
  readonly url: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly maxSockets: number;
  readonly timeoutMs: number;
  /** @default 'lean' for http:// (undici for https://) */
  readonly httpClient?: HttpClientKind;
  /** JSON body for a request; called again only when the prompt, messages or max tokens change. */
  buildBody(request: GenerationRequest): string;
  /** Non-streamed 200 body → tokens, or a fault. */
  parseBody(body: string): { outputTokens: number; serverInputTokens?: number } | Fault;
  /** Streamed protocols: a fresh reader per request. */
  createReader?(): StreamReader;
}

const CANCELLED: Fault = { error: 'network', errorMessage: 'aborted by the caller before the answer was complete' };

/** A Target over undici keep-alive connections, one per closed-loop worker up to `maxSockets`. */
export function createHttpTarget(protocol: HttpProtocol): Target {
  const { connections, basePath } = createHttpConnections(protocol.url, protocol.maxSockets, protocol.httpClient);
  const client = new ExchangeClient(connections, protocol.timeoutMs);
  const path = basePath + protocol.path;
  const timeoutMs = protocol.timeoutMs;
  // One body buffer reused while the prompt repeats. A Buffer, not a string: undici writes a string
  // body apart from the headers, which costs a delayed-ACK wait per request.
  const bodies = new BodyCache((request) => protocol.buildBody(request));

  async function generate(request: GenerationRequest, signal: AbortSignal): Promise<RequestRecord> {
    const reader = protocol.createReader?.();
    const body = bodies.get(request);
    const sentMs = performance.now();
    const outcome = await client.send({ worker: request.worker, path, headers: protocol.headers, body, sink: reader }, signal);
    const { status, endMs } = outcome;
    if (outcome.expired || outcome.cancelled || outcome.error !== undefined) {
      const fault = outcome.cancelled ? CANCELLED : faultFromException(outcome.error, outcome.expired, timeoutMs);
      return toRecord(request, { sentMs, endMs, status, fault });
    }
    if (status !== 200) return toRecord(request, { sentMs, endMs, fault: faultFromHttpStatus(status ?? 0, outcome.body) });
    if (reader === undefined) {
      const parsed = protocol.parseBody(outcome.body);
      if ('error' in parsed) return toRecord(request, { sentMs, endMs, status, fault: parsed });
      return toRecord(request, { sentMs, endMs, status, outputTokens: parsed.outputTokens, serverInputTokens: parsed.serverInputTokens });
    }
    return toRecord(request, {
      sentMs,
      endMs,
      status,
      fault: reader.end(),
      firstTokenMs: reader.firstTokenMs,
      outputTokens: reader.outputTokens,
      serverInputTokens: reader.serverInputTokens,
      interChunkGapsMs: reader.interChunkGapsMs,
      chunkTokens: reader.chunkTokens,
    });
  }

  return {
    description: protocol.description,
    generate,
    close: async () => {
      client.close();
      await connections.close();
    },
  };
}
