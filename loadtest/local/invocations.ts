import type { ServerResponse } from 'node:http';
import type { ServingContainer } from '../../lib/results/records';
import { runOnce, runStream, type Exchange, type Refusal } from './exchange';
import type { GenerationResult } from './generation';
import { sendJson, startSse } from './http-io';
import type { Invocation } from './invocation-body';
import { LMI_STREAM_CONTENT_TYPE, lmiGenerateEvents, lmiGenerateObject, lmiOpenAiEvents } from './lmi-protocol';
import { openAiObject, openAiStreamEvents } from './openai-protocol';
import { framedEmitter, type LocalFraming, type StreamEvents } from './stream-events';
import { tgiErrorBody, tgiGenerateObject, tgiStreamEvents } from './tgi-protocol';

/**
 * What a container answers on /invocations for each body kind, apart from the transport (plain HTTP
 * or the SageMaker runtime): TGI (as from 2.4.0, which takes all three bodies) streams SSE; LMI
 * streams JSON lines. Body routing is in invocation-body.ts, the shapes in the protocol modules.
 */

export interface ContainerContext {
  readonly container: ServingContainer;
  /** `model` of OpenAI answers. */
  readonly modelId: string;
}

/** The non-streamed body. JumpStart's TGI answers a generate body with a one-element list; LMI with the bare object. */
export function renderInvocation(context: ContainerContext, invocation: Invocation, result: GenerationResult): string {
  if (invocation.kind === 'generate') {
    return JSON.stringify(context.container === 'tgi' ? [tgiGenerateObject(result, invocation.details)] : lmiGenerateObject(result, invocation.details));
  }
  return JSON.stringify(openAiObject(invocation.kind, context.modelId, result));
}

export interface InvocationStream {
  readonly events: StreamEvents;
  readonly framing: LocalFraming;
  /** Content type of the container's stream. */
  readonly contentType: string;
}

export function invocationStream(context: ContainerContext, invocation: Invocation): InvocationStream {
  const { kind, includeUsage, details } = invocation;
  if (context.container === 'lmi') {
    const events = kind === 'generate' ? lmiGenerateEvents(details) : lmiOpenAiEvents(kind, context.modelId, includeUsage);
    return { events, framing: 'jsonlines', contentType: LMI_STREAM_CONTENT_TYPE };
  }
  const events = kind === 'generate' ? tgiStreamEvents() : openAiStreamEvents(kind, context.modelId, includeUsage ? 'chunk' : 'none');
  return { events, framing: 'sse', contentType: 'text/event-stream' };
}

function sendHttpRefusal(response: ServerResponse, refusal: Refusal): void {
  if (refusal.kind === 'error') return sendJson(response, refusal.error.status, tgiErrorBody(refusal.error));
  if (refusal.kind === 'throttled') return sendJson(response, 429, { error: 'Model is overloaded', error_type: 'overloaded' });
  sendJson(response, 504, { error: 'Request timed out', error_type: 'generation' });
}

/** POST /invocations on the container itself (no SageMaker in between): streams when the body says `"stream": true`. */
export function handleHttpInvocation(exchange: Exchange, invocation: Invocation, context: ContainerContext): void {
  const { response } = exchange;
  if (!invocation.stream) {
    return runOnce(exchange, invocation.request, {
      contentType: 'application/json',
      refuse: (refusal) => sendHttpRefusal(response, refusal),
      render: (result) => renderInvocation(context, invocation, result),
    });
  }
  const { events, framing, contentType } = invocationStream(context, invocation);
  runStream(
    exchange,
    invocation.request,
    framedEmitter(events, framing, {
      refuse: (refusal) => sendHttpRefusal(response, refusal),
      open: () => (framing === 'sse' ? startSse(response) : startJsonLines(response, contentType)),
      write: (bytes) => response.write(bytes),
      end: (bytes) => response.end(bytes),
    }),
  );
}

function startJsonLines(response: ServerResponse, contentType: string): void {
  response.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache' });
  response.flushHeaders();
}
