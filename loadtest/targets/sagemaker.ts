import * as http from 'node:http';
import * as https from 'node:https';
import {
  InvokeEndpointCommand,
  InvokeEndpointWithResponseStreamCommand,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RequestRecord } from '../../lib/results/records';
import { DeadlineTracker, type RequestDeadline } from './deadline';
import type { Fault } from './error-kinds';
import { faultFromSageMakerError, retriesOf } from './sagemaker-faults';
import type { RequestApi, ServingContainer } from './api';
import { BodyCache, requestBody } from './bodies';
import { OpenAiStreamReader, parseCompletionBody } from './openai-stream';
import { toRecord } from './record';
import type { FramedStreamReader } from './stream-reader';
import { parseTgiGenerateBody, TgiStreamReader } from './tgi-stream';
import { DEFAULT_TIMEOUT_MS, type GenerationRequest, type Target } from './types';

export interface SageMakerTargetOptions {
  readonly endpointName: string;
  readonly inferenceComponent?: string;
  readonly stream: boolean;
  /** An injected client wins over region, endpointUrl, maxSockets and retries. */
  readonly client?: SageMakerRuntimeClient;
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly maxSockets: number;
  readonly timeoutMs?: number;
  /** SDK retries (maxAttempts = retries + 1, standard mode). @default 2 */
  readonly retries?: number;
  readonly recordChunkGaps?: boolean;
  /** Body family. @default 'generate' (TGI-style `inputs`) */
  readonly api?: RequestApi;
  /** The container behind the endpoint: TGI streams SSE, LMI JSON lines. @default 'tgi' */
  readonly container?: ServingContainer;
}

/**
 * What each container streams for each body (InvokeEndpointWithResponseStream relays the container's
 * bytes in PayloadPart frames):
 * - TGI ≥ 2.4.0 takes all three bodies on /invocations (router/src/sagemaker.rs@v2.4.0,
 *   `SagemakerRequest` = Generate | Chat | Completion); 1.4–2.3 route /invocations to chat completions
 *   only with MESSAGES_API_ENABLED=true, else to generate (router/src/server.rs@v2.3.1,
 *   `aws_sagemaker_route`). It streams SSE: TGI events for `inputs`, OpenAI chunks then `data: [DONE]`.
 * - LMI routes by body: `prompt` → completions, `inputs` → TGI-style, `messages` → chat completions
 *   (deepjavalibrary/djl-serving engines/python/setup/djl_python/lmi_vllm/vllm_async_service.py@v0.36.0,
 *   `preprocess_request`) and streams `application/jsonlines` (see json-lines.ts, openai-stream.ts).
 */
const ACCEPT: Readonly<Record<ServingContainer, string>> = { tgi: 'text/event-stream', lmi: 'application/jsonlines' };
const DEFAULT_RETRIES = 2;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A runtime client whose socket pool is sized to the concurrency: the SDK's default agent caps
 * sockets at 50, which would silently cap any level above it.
 */
export function createSageMakerRuntimeClient(opts: {
  maxSockets: number;
  retries?: number;
  region?: string;
  endpointUrl?: string;
  /** Signing identity (the offline run signs as the calling step's role). @default the SDK's chain */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}): SageMakerRuntimeClient {
  const agentOptions = { keepAlive: true, maxSockets: Math.max(1, opts.maxSockets) };
  const isLoopback = opts.endpointUrl !== undefined && LOOPBACK_HOSTS.has(new URL(opts.endpointUrl).hostname);
  // A local endpoint does not check signatures; spare users without AWS credentials a lookup failure.
  const credentials =
    opts.credentials ?? (isLoopback && process.env.AWS_ACCESS_KEY_ID === undefined ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined);
  return new SageMakerRuntimeClient({
    region: opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(opts.endpointUrl !== undefined ? { endpoint: opts.endpointUrl } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    maxAttempts: (opts.retries ?? DEFAULT_RETRIES) + 1,
    retryMode: 'standard',
    requestHandler: new NodeHttpHandler({
      httpAgent: new http.Agent(agentOptions),
      httpsAgent: new https.Agent(agentOptions),
      connectionTimeout: 5_000,
    }),
  });
}

/** A SageMaker real-time endpoint serving TGI or LMI: InvokeEndpoint, or InvokeEndpointWithResponseStream. */
export function createSageMakerTarget(opts: SageMakerTargetOptions): Target {
  const ownsClient = opts.client === undefined;
  const client = opts.client ?? createSageMakerRuntimeClient(opts);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const recordGaps = opts.recordChunkGaps ?? true;
  const api = opts.api ?? 'generate';
  const container = opts.container ?? 'tgi';
  const framing = container === 'lmi' ? 'jsonlines' : 'sse';
  // vLLM behind LMI honours ignore_eos; TGI cannot force the length (bodies.ts).
  const bodyOptions = { stream: opts.stream, exactLength: container === 'lmi', streamFlagInGenerate: true };
  const bodies = new BodyCache((request) => requestBody(api, request, bodyOptions));
  const parseBody = api === 'generate' ? parseTgiGenerateBody : parseCompletionBody;
  const createReader = (): FramedStreamReader => (api === 'generate' ? new TgiStreamReader(recordGaps, framing) : new OpenAiStreamReader(recordGaps, framing));
  const decoder = new TextDecoder();
  const deadlines = new DeadlineTracker(timeoutMs);
  const base = {
    EndpointName: opts.endpointName,
    ...(opts.inferenceComponent !== undefined ? { InferenceComponentName: opts.inferenceComponent } : {}),
    ContentType: 'application/json',
  };

  async function invoke(request: GenerationRequest, deadline: RequestDeadline, sentMs: number): Promise<RequestRecord> {
    const out = await client.send(new InvokeEndpointCommand({ ...base, Accept: 'application/json', Body: bodies.get(request) }), {
      abortSignal: deadline.signal,
    });
    const text = out.Body === undefined ? '' : decoder.decode(out.Body);
    const endMs = performance.now();
    const retries = retriesOf(out);
    const parsed = parseBody(text);
    if ('error' in parsed) return toRecord(request, { sentMs, endMs, status: 200, retries, fault: parsed });
    return toRecord(request, { sentMs, endMs, status: 200, retries, ...parsed });
  }

  async function invokeStream(request: GenerationRequest, deadline: RequestDeadline, sentMs: number): Promise<RequestRecord> {
    const out = await client.send(
      new InvokeEndpointWithResponseStreamCommand({ ...base, Accept: ACCEPT[container], Body: bodies.get(request) }),
      { abortSignal: deadline.signal },
    );
    const retries = retriesOf(out);
    const reader = createReader();
    let fault: Fault | undefined;
    if (out.Body !== undefined) {
      for await (const event of out.Body) {
        if (event.PayloadPart?.Bytes !== undefined) reader.push(event.PayloadPart.Bytes, performance.now());
        else if (event.ModelStreamError !== undefined) fault = faultFromSageMakerError({ ...event.ModelStreamError, name: 'ModelStreamError' }, false, timeoutMs);
        else if (event.InternalStreamFailure !== undefined) fault = faultFromSageMakerError({ ...event.InternalStreamFailure, name: 'InternalStreamFailure' }, false, timeoutMs);
        if (fault !== undefined || reader.fault !== undefined) break;
      }
    }
    const endMs = performance.now();
    fault ??= reader.end();
    return toRecord(request, {
      sentMs,
      endMs,
      status: 200,
      retries,
      fault,
      firstTokenMs: reader.firstTokenMs,
      outputTokens: reader.outputTokens,
      serverInputTokens: reader.serverInputTokens,
      interChunkGapsMs: reader.interChunkGapsMs,
      chunkTokens: reader.chunkTokens,
    });
  }

  async function generate(request: GenerationRequest, signal: AbortSignal): Promise<RequestRecord> {
    const deadline = deadlines.start(signal);
    const sentMs = performance.now();
    try {
      return await (opts.stream ? invokeStream(request, deadline, sentMs) : invoke(request, deadline, sentMs));
    } catch (error) {
      const fault: Fault = deadline.cancelled
        ? { error: 'network', errorMessage: 'aborted by the caller before the answer was complete' }
        : faultFromSageMakerError(error, deadline.expired, timeoutMs);
      return toRecord(request, { sentMs, endMs: performance.now(), retries: retriesOf(error), fault });
    } finally {
      deadline.finish();
    }
  }

  return {
    description: {
      kind: opts.stream ? 'sagemaker-stream' : 'sagemaker',
      address: opts.endpointUrl !== undefined ? `${opts.endpointName} @ ${opts.endpointUrl}` : opts.endpointName,
      ...(opts.inferenceComponent !== undefined ? { inferenceComponent: opts.inferenceComponent } : {}),
      api,
      container,
    },
    generate,
    close: async () => {
      if (ownsClient) client.destroy();
    },
  };
}
