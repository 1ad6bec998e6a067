import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TgiSettings } from '../../lib/catalog/types';
import type { FaultKind } from './faults';
import {
  OVERLOADED,
  generationFailure,
  runGeneration,
  type GenerationError,
  type GenerationRequest,
  type GenerationResult,
  type RunningGeneration,
} from './generation';
import { onClientGone } from './http-io';
import type { RealTimeDriver } from './real-time-driver';
import { outputToken, type OutputToken } from './tokens';

/**
 * One HTTP exchange on a generation route, whatever its protocol: applies the request's fault,
 * runs the generation and tells the protocol's emitter what to put on the wire.
 */

/** The engine behind a route: the whole endpoint, or one inference component. */
export interface Backend {
  readonly driver: RealTimeDriver;
  readonly tgi: TgiSettings;
  readonly component?: string;
}

export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly backend: Backend;
  /** Fault drawn for this request; hang and reset are handled before the protocol sees it. */
  readonly fault: FaultKind | undefined;
  /** Invocation deadline in virtual ms (SageMaker real-time: 60,000); none for plain TGI. */
  readonly deadlineVirtualMs?: number;
}

/** Why a request is refused before any byte of the answer. */
export type Refusal = { readonly kind: 'error'; readonly error: GenerationError } | { readonly kind: 'throttled' } | { readonly kind: 'timeout' };

export interface OnceEmitter {
  refuse(refusal: Refusal): void;
  /** Body text of a successful response (sent with `contentType`). */
  render(result: GenerationResult): string;
  readonly contentType: string;
  readonly headers?: (result: GenerationResult) => Readonly<Record<string, string>>;
}

/** A non-streamed generation: one body at the end. */
export function runOnce(exchange: Exchange, request: GenerationRequest, emitter: OnceEmitter): void {
  const { response, fault } = exchange;
  const refusal = refusalFor(fault, false);
  if (refusal !== undefined) return emitter.refuse(refusal);
  if (fault === 'garbage') return sendRaw(response, 200, emitter.contentType, '{"generated_text": "\u0000 not json');
  let deadline: NodeJS.Timeout | undefined;
  const running: RunningGeneration = runGeneration(request, exchange.backend, {
    onAccepted: () => {
      if (exchange.deadlineVirtualMs === undefined) return;
      deadline = setTimeout(() => {
        running.cancel();
        emitter.refuse({ kind: 'timeout' });
      }, exchange.deadlineVirtualMs / exchange.backend.driver.speedup);
    },
    onToken: () => undefined,
    onDone: (result) => {
      clearTimeout(deadline);
      const body = emitter.render(result);
      const headers = emitter.headers?.(result) ?? {};
      if (fault === 'truncate') return sendRaw(response, 200, emitter.contentType, body.slice(0, Math.floor(body.length / 2)), headers);
      sendRaw(response, 200, emitter.contentType, body, headers);
    },
    onError: (error) => {
      clearTimeout(deadline);
      emitter.refuse({ kind: 'error', error });
    },
  });
  onClientGone(response, () => {
    clearTimeout(deadline);
    running.cancel();
  });
}

export interface StreamEmitter {
  /** Nothing sent yet: answer with a plain HTTP error. */
  refuse(refusal: Refusal): void;
  /** Sends the response head. */
  open(): void;
  token(token: OutputToken, index: number): void;
  /** Last token with the final details; ends the response. */
  finish(last: OutputToken, index: number, result: GenerationResult): void;
  /** Error event(s) after the stream began; ends the response. */
  failMidStream(error: GenerationError): void;
  /** An event that is not valid JSON; ends the response. */
  garbage(): void;
}

/** A streamed generation: one event per token, the last one carrying the details. */
export function runStream(exchange: Exchange, request: GenerationRequest, emitter: StreamEmitter): void {
  const { response, fault } = exchange;
  const refusal = refusalFor(fault, true);
  if (refusal !== undefined) return emitter.refuse(refusal);
  if (fault === 'garbage') {
    emitter.open();
    return emitter.garbage();
  }
  let opened = false;
  let maxNewTokens = 1;
  const open = (): void => {
    if (opened) return;
    opened = true;
    emitter.open();
  };
  const running: RunningGeneration = runGeneration(request, exchange.backend, {
    onAccepted: (_input, maxNew) => {
      maxNewTokens = maxNew;
    },
    onToken: (token, index) => {
      open();
      if ((fault === 'truncate' || fault === '5xx') && index >= Math.floor(maxNewTokens / 2)) {
        running.cancel();
        if (fault === '5xx') return emitter.failMidStream(generationFailure('injected fault (CUDA error: device-side assert triggered)'));
        return response.end();
      }
      // The last token travels with the final details (TGI's last stream event).
      if (index < maxNewTokens - 1) emitter.token(token, index);
    },
    onDone: (result) => {
      open();
      const lastIndex = Math.max(0, result.generatedTokens - 1);
      emitter.finish(outputToken(lastIndex), lastIndex, result);
    },
    onError: (error) => {
      if (opened) emitter.failMidStream(error);
      else emitter.refuse({ kind: 'error', error });
    },
  });
  onClientGone(response, () => running.cancel());
}

/** Faults answered before the engine: overload and throttling; 5xx too for non-streams. */
function refusalFor(fault: FaultKind | undefined, streaming: boolean): Refusal | undefined {
  if (fault === 'overload') return { kind: 'error', error: OVERLOADED };
  if (fault === 'throttle') return { kind: 'throttled' };
  if (fault === '5xx' && !streaming) return { kind: 'error', error: generationFailure('injected fault (CUDA error: device-side assert triggered)') };
  return undefined;
}

export function sendRaw(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
  response.end(body);
}
