import type { RequestApi } from './api';
import { generateBody } from './bodies';
import { type HttpClientKind, JSON_HEADERS, SSE_HEADERS } from './http-pool';
import { createHttpTarget } from './http-target';
import { createOpenAiTarget } from './openai';
import { parseTgiGenerateBody, TgiStreamReader } from './tgi-stream';
import { DEFAULT_TIMEOUT_MS, type Target } from './types';

export interface TgiTargetOptions {
  readonly url: string;
  readonly stream: boolean;
  readonly maxSockets: number;
  readonly timeoutMs?: number;
  readonly recordChunkGaps?: boolean;
  readonly httpClient?: HttpClientKind;
  /** @default 'generate' */
  readonly api?: RequestApi;
  /** `model` of Messages API bodies. @default 'tgi' */
  readonly model?: string;
}

/** Request body of TGI `/generate` and `/generate_stream`. */
export function tgiRequestBody(prompt: string, maxNewTokens: number): string {
  return generateBody(prompt, maxNewTokens);
}

/**
 * Text Generation Inference over HTTP: `/generate`, or `/generate_stream` (SSE) when streaming;
 * with `api` 'completions' or 'chat', its Messages API (`/v1/completions`, `/v1/chat/completions`,
 * SSE ending with `data: [DONE]`). TGI cannot force the output length (see bodies.ts), so no
 * `ignore_eos` is sent and records keep the tokens actually generated.
 */
export function createTgiTarget(opts: TgiTargetOptions): Target {
  const recordGaps = opts.recordChunkGaps ?? true;
  const api = opts.api ?? 'generate';
  if (api !== 'generate') {
    return createOpenAiTarget({ ...opts, api, exactLength: false, kinds: ['tgi', 'tgi-stream'] });
  }
  return createHttpTarget({
    description: { kind: opts.stream ? 'tgi-stream' : 'tgi', address: opts.url, api },
    url: opts.url,
    path: opts.stream ? '/generate_stream' : '/generate',
    headers: opts.stream ? SSE_HEADERS : JSON_HEADERS,
    maxSockets: opts.maxSockets,
    httpClient: opts.httpClient,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    buildBody: (request) => tgiRequestBody(request.prompt, request.maxNewTokens),
    parseBody: parseTgiGenerateBody,
    ...(opts.stream ? { createReader: () => new TgiStreamReader(recordGaps) } : {}),
  });
}
