import type { Fault } from './error-kinds';
import { faultFromStreamError, truncateMessage } from './error-kinds';
import { FramedStreamReader } from './stream-reader';

interface TgiStreamEvent {
  token?: { special?: boolean };
  generated_text?: string | null;
  details?: { generated_tokens?: number; prefill?: readonly unknown[]; input_length?: number } | null;
  /** TGI: a string with `error_type`; LMI relays vLLM's `{"error": {"message", "type", "code"}}`. */
  error?: string | { message?: string; type?: string; code?: number };
  error_type?: string;
}

/**
 * Reads a TGI-style token stream: TGI's `/generate_stream` (SSE, plain or in SageMaker PayloadPart
 * frames), or LMI's answer to a TGI-style body (JSON lines, framing 'jsonlines'): each line
 * `{"index", "token", "generated_text": null, "details": null}`, the last with `generated_text` and
 * `details` {`generated_tokens`, `input_length`} (deepjavalibrary/djl-serving
 * engines/python/setup/djl_python/lmi_vllm/request_response_utils.py@v0.36.0,
 * `convert_completion_chunk_response_to_lmi_schema`). First token time = first token event; output
 * tokens = the final event's `details.generated_tokens` (from the server, never counted from chunks).
 */
export class TgiStreamReader extends FramedStreamReader {
  /** True once the final event (with details) or an error event arrived. */
  get done(): boolean {
    return this.outputTokens !== undefined || this.fault !== undefined;
  }

  protected finish(): Fault | undefined {
    if (this.outputTokens === undefined) return { error: 'invalid_response', errorMessage: 'stream ended without its final event (truncated)' };
    return undefined;
  }

  protected readonly onData = (data: string): void => {
    if (this.done) return;
    // Token events are by far the most frequent: recognise them without parsing JSON.
    // (TGI writes `"details":null`; LMI's Python json.dumps `"details": null`.)
    if (this.firstTokenMs !== undefined && (data.includes('"details":null') || data.includes('"details": null')) && !data.includes('"error"')) {
      this.countToken();
      return;
    }
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
    if (typeof event.error === 'object' && event.error !== null) {
      this.fault = faultFromStreamError(event.error.message ?? 'error event', event.error.type, event.error.code);
      return;
    }
    if (event.token !== undefined) {
      if (this.firstTokenMs === undefined) this.firstTokenMs = this.nowMs;
      this.countToken();
    }
    const details = event.details;
    if (details !== null && details !== undefined) {
      if (typeof details.generated_tokens !== 'number') {
        this.fault = { error: 'invalid_response', errorMessage: 'final stream event without details.generated_tokens' };
        return;
      }
      this.outputTokens = details.generated_tokens;
      if (Array.isArray(details.prefill) && details.prefill.length > 0) this.serverInputTokens = details.prefill.length;
      else if (typeof details.input_length === 'number') this.serverInputTokens = details.input_length;
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
