import { type HttpClientKind, JSON_HEADERS, SSE_HEADERS } from './http-pool';
import { createHttpTarget } from './http-target';
import { CompletionStreamReader, parseCompletionBody } from './openai-stream';
import { DEFAULT_TIMEOUT_MS, type Target } from './types';

export interface OpenAiTargetOptions {
  readonly url: string;
  readonly stream: boolean;
  readonly maxSockets: number;
  readonly timeoutMs?: number;
  /** `model` field of the request. @default 'tgi' */
  readonly model?: string;
  readonly recordChunkGaps?: boolean;
  readonly httpClient?: HttpClientKind;
}

/** An OpenAI-compatible server's `/v1/completions` (TGI's Messages API, vLLM, ...). */
export function createOpenAiTarget(opts: OpenAiTargetOptions): Target {
  const recordGaps = opts.recordChunkGaps ?? true;
  const model = opts.model ?? 'tgi';
  // Accept both 'http://host:port' and 'http://host:port/v1'.
  const base = new URL(opts.url).pathname.replace(/\/+$/, '');
  return createHttpTarget({
    description: { kind: opts.stream ? 'openai-stream' : 'openai', address: opts.url },
    url: opts.url,
    path: base.endsWith('/v1') ? '/completions' : '/v1/completions',
    headers: opts.stream ? SSE_HEADERS : JSON_HEADERS,
    maxSockets: opts.maxSockets,
    httpClient: opts.httpClient,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    buildBody: (prompt, maxTokens) =>
      JSON.stringify(
        opts.stream
          ? { model, prompt, max_tokens: maxTokens, stream: true, stream_options: { include_usage: true } }
          : { model, prompt, max_tokens: maxTokens, stream: false },
      ),
    parseBody: parseCompletionBody,
    ...(opts.stream ? { createReader: () => new CompletionStreamReader(recordGaps) } : {}),
  });
}
