import { type HttpClientKind, JSON_HEADERS, SSE_HEADERS } from './http-pool';
import { createHttpTarget } from './http-target';
import { parseTgiGenerateBody, TgiStreamReader } from './tgi-stream';
import { DEFAULT_TIMEOUT_MS, type Target } from './types';

export interface TgiTargetOptions {
  readonly url: string;
  readonly stream: boolean;
  readonly maxSockets: number;
  readonly timeoutMs?: number;
  readonly recordChunkGaps?: boolean;
  readonly httpClient?: HttpClientKind;
}

/** Request body of TGI `/generate` and `/generate_stream` (and of a JumpStart TGI container on SageMaker). */
export function tgiRequestBody(prompt: string, maxNewTokens: number): string {
  return JSON.stringify({
    inputs: prompt,
    parameters: { max_new_tokens: maxNewTokens, details: true, decoder_input_details: false },
  });
}

/** Text Generation Inference over HTTP: `/generate`, or `/generate_stream` (SSE) when streaming. */
export function createTgiTarget(opts: TgiTargetOptions): Target {
  const recordGaps = opts.recordChunkGaps ?? true;
  return createHttpTarget({
    description: { kind: opts.stream ? 'tgi-stream' : 'tgi', address: opts.url },
    url: opts.url,
    path: opts.stream ? '/generate_stream' : '/generate',
    headers: opts.stream ? SSE_HEADERS : JSON_HEADERS,
    maxSockets: opts.maxSockets,
    httpClient: opts.httpClient,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    buildBody: tgiRequestBody,
    parseBody: parseTgiGenerateBody,
    ...(opts.stream ? { createReader: () => new TgiStreamReader(recordGaps) } : {}),
  });
}
