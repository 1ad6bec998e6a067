import type { GenerationError, GenerationResult } from './generation';
import type { Refusal, StreamEmitter } from './exchange';
import type { OutputToken } from './tokens';

/**
 * A token stream as payloads (JSON texts), apart from how they are framed on the wire: the same
 * chunks go out as server-sent events (TGI, OpenAI-compatible servers) or as JSON lines (LMI), over
 * plain HTTP or inside SageMaker PayloadPart frames.
 */
export interface StreamEvents {
  /** Payload of a token that is not the last. */
  token(token: OutputToken, index: number): string;
  /** Payloads of the end: the last token with the final details (and a usage chunk). */
  finish(last: OutputToken, index: number, result: GenerationResult): readonly string[];
  /** Payload of an error after the stream began. */
  failure(error: GenerationError): string;
  /** A payload that is not valid JSON. */
  readonly garbage: string;
  /** SSE terminator of OpenAI streams (`[DONE]`); none for TGI events. */
  readonly done?: string;
}

/** `sse`: `data: {json}` events; `jsonlines`: one JSON object per line, no `[DONE]` (LMI). */
export type LocalFraming = 'sse' | 'jsonlines';

export function framePayload(payload: string, framing: LocalFraming): string {
  return framing === 'sse' ? `data: ${payload}\n\n` : `${payload}\n`;
}

/** Where framed bytes go: the HTTP response itself, or SageMaker event-stream frames. */
export interface StreamTransport {
  /** Nothing sent yet: answer with an error. */
  refuse(refusal: Refusal): void;
  open(): void;
  write(bytes: string): void;
  end(bytes: string): void;
  /** An error after the stream began; ends the response. @default end(the framed failure payload) */
  failMidStream?(error: GenerationError, framedPayload: string): void;
}

/** The emitter `runStream` drives, from payloads, a framing and a transport. */
export function framedEmitter(events: StreamEvents, framing: LocalFraming, transport: StreamTransport): StreamEmitter {
  const frame = (payload: string): string => framePayload(payload, framing);
  // The end of an OpenAI stream: `data: [DONE]` in SSE; LMI turns it into an empty line.
  const terminator = events.done === undefined ? '' : framing === 'sse' ? frame(events.done) : '\n';
  return {
    refuse: (refusal) => transport.refuse(refusal),
    open: () => transport.open(),
    token: (token, index) => transport.write(frame(events.token(token, index))),
    finish: (last, index, result) => {
      const payloads = events.finish(last, index, result);
      payloads.slice(0, -1).forEach((payload) => transport.write(frame(payload)));
      const final = payloads[payloads.length - 1];
      if (terminator === '') return transport.end(final === undefined ? '' : frame(final));
      if (final !== undefined) transport.write(frame(final));
      transport.end(terminator);
    },
    failMidStream: (error) => {
      const framed = frame(events.failure(error));
      if (transport.failMidStream !== undefined) return transport.failMidStream(error, framed);
      transport.end(framed);
    },
    garbage: () => transport.end(frame(events.garbage)),
  };
}
