import type { Fault } from './error-kinds';
import { faultFromStreamError, truncateMessage } from './error-kinds';
import { SseDataLines } from './sse-lines';

interface TgiStreamEvent {
  token?: { special?: boolean };
  generated_text?: string | null;
  details?: { generated_tokens?: number; prefill?: readonly unknown[] } | null;
  error?: string;
  error_type?: string;
}

/**
 * Reads a TGI `/generate_stream` answer (plain SSE, or SSE carried in SageMaker PayloadPart
 * frames). First token time = first token event; output tokens = the final event's
 * `details.generated_tokens` (from the server, never counted from chunks).
 */
export class TgiStreamReader {
  private readonly lines = new SseDataLines();
  private lastChunkMs = -1;
  public firstTokenMs: number | undefined;
  public outputTokens: number | undefined;
  public serverInputTokens: number | undefined;
  public readonly interChunkGapsMs: number[] = [];
  public fault: Fault | undefined;
  private nowMs = 0;

  constructor(private readonly recordGaps: boolean) {}

  /** True once the final event (with details) or an error event arrived. */
  get done(): boolean {
    return this.outputTokens !== undefined || this.fault !== undefined;
  }

  push(chunk: Uint8Array, nowMs: number): void {
    if (this.recordGaps && this.lastChunkMs >= 0) this.interChunkGapsMs.push(nowMs - this.lastChunkMs);
    this.lastChunkMs = nowMs;
    this.nowMs = nowMs;
    this.lines.push(chunk, this.onData);
  }

  /** Ends the stream; a stream that ended without its final event is a truncated (invalid) response. */
  end(): Fault | undefined {
    this.lines.end(this.onData);
    if (this.fault === undefined && this.outputTokens === undefined) {
      this.fault = { error: 'invalid_response', errorMessage: 'stream ended without its final event (truncated)' };
    }
    return this.fault;
  }

  private readonly onData = (data: string): void => {
    if (this.done) return;
    // Token events are by far the most frequent: recognise them without parsing JSON.
    if (this.firstTokenMs !== undefined && data.includes('"details":null') && !data.includes('"error"')) return;
    let event: TgiStreamEvent;
    try {
      event = JSON.parse(data) as TgiStreamEvent;
    } catch {
      this.fault = { error: 'invalid_response', errorMessage: truncateMessage(`unparseable stream event: ${data}`) };
      return;
    }
    if (typeof event.error === 'string') {
      this.fault = faultFromStreamError(event.error, event.error_type);
      return;
    }
    if (event.token !== undefined && this.firstTokenMs === undefined) this.firstTokenMs = this.nowMs;
    const details = event.details;
    if (details !== null && details !== undefined) {
      if (typeof details.generated_tokens !== 'number') {
        this.fault = { error: 'invalid_response', errorMessage: 'final stream event without details.generated_tokens' };
        return;
      }
      this.outputTokens = details.generated_tokens;
      if (Array.isArray(details.prefill) && details.prefill.length > 0) this.serverInputTokens = details.prefill.length;
    }
  };
}

/** Parses TGI's non-streamed answer: `[{generated_text, details:{generated_tokens, prefill?}}]` or the bare object. */
export function parseTgiGenerateBody(body: string): { outputTokens: number; serverInputTokens?: number } | Fault {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: 'invalid_response', errorMessage: truncateMessage(`unparseable JSON body: ${body}`) };
  }
  const first = (Array.isArray(parsed) ? parsed[0] : parsed) as TgiStreamEvent | undefined;
  const tokens = first?.details?.generated_tokens;
  if (typeof tokens !== 'number') {
    return { error: 'invalid_response', errorMessage: truncateMessage(`no details.generated_tokens in body: ${body}`) };
  }
  const prefill = first?.details?.prefill;
  return Array.isArray(prefill) && prefill.length > 0 ? { outputTokens: tokens, serverInputTokens: prefill.length } : { outputTokens: tokens };
}
