import { SAGEMAKER_INVOCATION_TIMEOUT_MS } from '../../lib/results/defaults';
import type { RequestApi, RequestRecord, ServingContainer, TargetDescription } from '../../lib/results/records';
import type { ChatMessage } from '../payload/chat-template';

/** One generation to send: the prompt, its exact token count and where it sits in the closed loop. */
export interface GenerationRequest {
  readonly prompt: string;
  /** Exact input tokens of `prompt` (Llama tokenizer, BOS included; the chat template's for chat). */
  readonly inputTokens: number;
  /** What a chat request sends; without it, a chat target sends `prompt` as one user message. */
  readonly messages?: readonly ChatMessage[];
  /** `max_new_tokens`; TGI may stop earlier on EOS unless told otherwise. */
  readonly maxNewTokens: number;
  readonly concurrency: number;
  readonly worker: number;
  readonly seq: number;
  /** When the load meant to send it (ms, monotonic clock `performance.now()`): closed loop, its worker freed; open loop, its arrival. */
  readonly scheduledMs: number;
  /** Open loop with a concurrency cap: ms it waited for a free slot. */
  readonly capWaitMs?: number;
  readonly warmup?: boolean;
  /** Which measurement of a repeated level (0-based); absent for a level measured once. */
  readonly repeat?: number;
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

/** Where to send requests, parsed from `--target` ('tgi:URL' | 'openai:URL' | 'sagemaker:ENDPOINT[:COMPONENT]'). */
export type TargetSpec =
  | { readonly kind: 'tgi'; readonly url: string }
  | { readonly kind: 'openai'; readonly url: string }
  | { readonly kind: 'sagemaker'; readonly endpointName: string; readonly inferenceComponent?: string };

/** How to drive a target. */
export interface TargetOptions {
  /** Connections in the keep-alive pool: the concurrency of the level (or the sweep's highest). */
  readonly maxSockets: number;
  /** Client deadline per request, ms. @default 60000 (the SageMaker real-time invocation timeout) */
  readonly timeoutMs?: number;
  /** Use the streaming API (`/generate_stream`, SSE, InvokeEndpointWithResponseStream). @default false */
  readonly stream?: boolean;
  /** SDK retries per request (SageMaker only; standard retry mode). @default 2 */
  readonly retries?: number;
  readonly region?: string;
  /** SageMaker runtime endpoint override (e.g. a local endpoint's URL). */
  readonly endpointUrl?: string;
  /** An injected SageMaker runtime client wins over region/endpointUrl/maxSockets/retries. */
  readonly sagemakerClient?: import('@aws-sdk/client-sagemaker-runtime').SageMakerRuntimeClient;
  /** `model` field of OpenAI-compatible requests. @default 'tgi' */
  readonly model?: string;
  /** Keep raw inter-chunk gaps on streamed records. @default true */
  readonly recordChunkGaps?: boolean;
  /** HTTP client of the TGI and OpenAI targets. @default 'lean' (undici for https://) */
  readonly httpClient?: 'lean' | 'undici';
  /** Request API. @default 'generate' for tgi and sagemaker targets, 'completions' for openai */
  readonly api?: RequestApi;
  /** Container behind a SageMaker endpoint: decides the stream framing. @default 'tgi' */
  readonly container?: ServingContainer;
}

/** The SageMaker real-time invocation timeout, the default client deadline. */
export const DEFAULT_TIMEOUT_MS = SAGEMAKER_INVOCATION_TIMEOUT_MS;
