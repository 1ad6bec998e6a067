import type { TargetDescription } from '../../lib/results/records';
import type { RequestApi } from './api';
import { requestBody } from './bodies';
import { type HttpClientKind, JSON_HEADERS, SSE_HEADERS } from './http-pool';
import { createHttpTarget } from './http-target';
import { OpenAiStreamReader, parseCompletionBody } from './openai-stream';
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
  /** @default 'completions' */
  readonly api?: Exclude<RequestApi, 'generate'>;
  /** Send vLLM's `ignore_eos` for an exact output length. @default true (a TGI server ignores it) */
  readonly exactLength?: boolean;
  /** Description kinds (the TGI target reuses this protocol for TGI's Messages API). */
  readonly kinds?: readonly [TargetDescription['kind'], TargetDescription['kind']];
}

/**
 * An OpenAI-compatible server's `/v1/completions` or `/v1/chat/completions` (vLLM, TGI's Messages API,
 * ...): SSE streams ending with `data: [DONE]`, token counts from `usage`.
 */
export function createOpenAiTarget(opts: OpenAiTargetOptions): Target {
  const recordGaps = opts.recordChunkGaps ?? true;
  const model = opts.model ?? 'tgi';
  const api = opts.api ?? 'completions';
  const [kind, streamKind] = opts.kinds ?? ['openai', 'openai-stream'];
  const bodyOptions = { stream: opts.stream, exactLength: opts.exactLength ?? true, model };
  // Accept both 'http://host:port' and 'http://host:port/v1'.
  const base = new URL(opts.url).pathname.replace(/\/+$/, '');
  const route = api === 'chat' ? '/chat/completions' : '/completions';
  return createHttpTarget({
    description: { kind: opts.stream ? streamKind : kind, address: opts.url, api },
    url: opts.url,
    path: base.endsWith('/v1') ? route : `/v1${route}`,
    headers: opts.stream ? SSE_HEADERS : JSON_HEADERS,
    maxSockets: opts.maxSockets,
    httpClient: opts.httpClient,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    buildBody: (request) => requestBody(api, request, bodyOptions),
    parseBody: parseCompletionBody,
    ...(opts.stream ? { createReader: () => new OpenAiStreamReader(recordGaps, 'sse') } : {}),
  });
}
