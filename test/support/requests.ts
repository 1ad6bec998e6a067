import type { GenerationRequest } from '../../loadtest/targets/types';

/** A generation request for target tests. */
export function generationRequest(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    prompt: 'the quick brown fox',
    inputTokens: 5,
    maxNewTokens: 8,
    concurrency: 1,
    worker: 0,
    seq: 0,
    scheduledMs: performance.now(),
    ...overrides,
  };
}

export const NO_ABORT = new AbortController().signal;
