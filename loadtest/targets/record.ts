import { REQUEST_RECORD_VERSION, type RequestRecord } from '../../lib/results/records';
import type { Fault } from './error-kinds';
import type { GenerationRequest } from './types';

/** What a target measured for one request, beyond what the request itself says. */
export interface Measurement {
  readonly sentMs: number;
  readonly endMs: number;
  readonly outputTokens?: number;
  readonly serverInputTokens?: number;
  readonly firstTokenMs?: number;
  readonly interChunkGapsMs?: readonly number[];
  readonly chunkTokens?: readonly number[];
  readonly status?: number;
  readonly retries?: number;
  readonly fault?: Fault;
}

const CLOCK_ORIGIN_MS = performance.timeOrigin;

/**
 * Builds the one record of a request. One object literal with every field (undefined where
 * unknown, which JSON omits) keeps a single hidden class on the hot path.
 */
export function toRecord(request: GenerationRequest, m: Measurement): RequestRecord {
  const fault = m.fault;
  const outputTokens = fault === undefined ? (m.outputTokens ?? 0) : 0;
  const gaps = m.interChunkGapsMs;
  return {
    schemaVersion: REQUEST_RECORD_VERSION,
    concurrency: request.concurrency,
    worker: request.worker,
    seq: request.seq,
    clockOriginMs: CLOCK_ORIGIN_MS,
    scheduledMs: request.scheduledMs,
    sentMs: m.sentMs,
    firstTokenMs: m.firstTokenMs,
    endMs: m.endMs,
    inputTokens: request.inputTokens,
    serverInputTokens: m.serverInputTokens,
    outputTokens,
    interChunkGapsMs: gaps !== undefined && gaps.length > 0 ? gaps : undefined,
    chunkTokens: m.chunkTokens !== undefined && m.chunkTokens.length > 1 ? m.chunkTokens : undefined,
    capWaitMs: request.capWaitMs,
    status: fault?.status ?? m.status,
    error: fault?.error,
    errorMessage: fault?.errorMessage,
    retries: m.retries,
    warmup: request.warmup === true ? true : undefined,
    // The server stopped before max_new_tokens (EOS, stop sequence): measured on what it generated.
    shortOutput: fault === undefined && outputTokens < request.maxNewTokens ? true : undefined,
    repeat: request.repeat !== undefined && request.repeat > 0 ? request.repeat : undefined,
  };
}
