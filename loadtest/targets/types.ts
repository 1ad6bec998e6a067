import type { RequestRecord, TargetDescription } from '../records/types';

/** One generation to send: the prompt, its exact token count and where it sits in the closed loop. */
export interface GenerationRequest {
  readonly prompt: string;
  /** Exact input tokens of `prompt` (Llama tokenizer, BOS included). */
  readonly inputTokens: number;
  /** `max_new_tokens`; TGI may stop earlier on EOS unless told otherwise. */
  readonly maxNewTokens: number;
  readonly concurrency: number;
  readonly worker: number;
  readonly seq: number;
  /** When the closed loop meant to send it (ms, monotonic clock `performance.now()`). */
  readonly scheduledMs: number;
  readonly warmup?: boolean;
}

/**
 * An endpoint the load generator can drive. `generate` never throws for endpoint faults:
 * it returns a RequestRecord with `error` set, so every sent request is accounted for once.
 */
export interface Target {
  readonly description: TargetDescription;
  generate(request: GenerationRequest, signal: AbortSignal): Promise<RequestRecord>;
  /** Releases sockets and pools. */
  close(): Promise<void>;
}
