import { type Fault, faultFromStreamError, truncateMessage } from './error-kinds';
import { SseStreamReader } from './sse-stream-reader';

interface CompletionChunk {
  choices?: readonly { text?: string; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: string | { message?: string; type?: string };
  error_type?: string;
}

/**
 * Reads an OpenAI-compatible `/v1/completions` stream (`stream_options.include_usage`):
 * text chunks, a usage chunk, then `data: [DONE]`. Output tokens come from `usage.completion_tokens`;
 * a server that sends no usage falls back to the number of text chunks (recorded as such).
 */
export class CompletionStreamReader extends SseStreamReader {
  private textChunks = 0;
  private finished = false;

  protected finish(): Fault | undefined {
    if (!this.finished) return { error: 'invalid_response', errorMessage: 'stream ended without data: [DONE] (truncated)' };
    if (this.outputTokens === undefined) this.outputTokens = this.textChunks;
    return undefined;
  }

  protected readonly onData = (data: string): void => {
    if (this.finished || this.fault !== undefined) return;
    if (data === '[DONE]') {
      this.finished = true;
      return;
    }
    let chunk: CompletionChunk;
    try {
      chunk = JSON.parse(data) as CompletionChunk;
    } catch {
      this.fault = { error: 'invalid_response', errorMessage: truncateMessage(`unparseable stream event: ${data}`) };
      return;
    }
    if (chunk.error !== undefined) {
      const message = typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? 'error event');
      const type = typeof chunk.error === 'string' ? chunk.error_type : chunk.error.type;
      this.fault = faultFromStreamError(message, type);
      return;
    }
    if (chunk.choices !== undefined && chunk.choices.length > 0) {
      if (this.firstTokenMs === undefined) this.firstTokenMs = this.nowMs;
      this.textChunks += 1;
    }
    if (chunk.usage) {
      if (typeof chunk.usage.completion_tokens === 'number') this.outputTokens = chunk.usage.completion_tokens;
      if (typeof chunk.usage.prompt_tokens === 'number') this.serverInputTokens = chunk.usage.prompt_tokens;
    }
  };
}

/** Parses a non-streamed `/v1/completions` answer. */
export function parseCompletionBody(body: string): { outputTokens: number; serverInputTokens?: number } | Fault {
  let parsed: CompletionChunk;
  try {
    parsed = JSON.parse(body) as CompletionChunk;
  } catch {
    return { error: 'invalid_response', errorMessage: truncateMessage(`unparseable JSON body: ${body}`) };
  }
  const tokens = parsed.usage?.completion_tokens;
  if (typeof tokens !== 'number') {
    return { error: 'invalid_response', errorMessage: truncateMessage(`no usage.completion_tokens in body: ${body}`) };
  }
  const prompt = parsed.usage?.prompt_tokens;
  return typeof prompt === 'number' ? { outputTokens: tokens, serverInputTokens: prompt } : { outputTokens: tokens };
}
