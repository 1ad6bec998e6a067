import { type Fault, faultFromStreamError, truncateMessage } from './error-kinds';
import { FramedStreamReader, type StreamFraming } from './stream-reader';

interface OpenAiChunk {
  object?: string;
  /** Completions put text in `text`; chat chunks (`chat.completion.chunk`) in `delta.content`. */
  choices?: readonly { text?: string; delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: string | { message?: string; type?: string; code?: number };
  error_type?: string;
}

/**
 * Reads an OpenAI-compatible stream of `/v1/completions` or `/v1/chat/completions`, sent with
 * `stream_options.include_usage`: text chunks (`choices[0].text`, or `choices[0].delta.content` for
 * `chat.completion.chunk`s), a chunk with `finish_reason`, a usage chunk (empty `choices`).
 * - SSE framing (TGI's Messages API, vLLM's server, TGI on SageMaker): the stream ends with
 *   `data: [DONE]` (huggingface/text-generation-inference router/src/server.rs@v3.3.7, chat_completions
 *   and completions); a stream without it is truncated.
 * - JSON-lines framing (LMI on SageMaker): the same chunks one per line, no `data:`, no `[DONE]`
 *   (deepjavalibrary/djl-serving engines/python/setup/djl_python/lmi_vllm/request_response_utils.py@v0.36.0,
 *   `vllm_stream_output_formatter` drops the prefix and turns `[DONE]` into an empty last line;
 *   async_utils.py `create_stream_chunk_output`: content type `application/jsonlines`); a stream
 *   without a `finish_reason` is truncated.
 * First token = the first chunk with non-empty text (vLLM's first chat chunk carries only the role).
 * Output tokens come from `usage.completion_tokens`, whatever the number of tokens per chunk; a
 * server that sends no usage falls back to the number of text chunks.
 */
export class OpenAiStreamReader extends FramedStreamReader {
  private textChunks = 0;
  private done = false;
  private finishReason = false;

  constructor(recordGaps: boolean, framing: StreamFraming = 'sse') {
    super(recordGaps, framing);
  }

  protected finish(): Fault | undefined {
    if (this.framing === 'sse' && !this.done) return { error: 'invalid_response', errorMessage: 'stream ended without data: [DONE] (truncated)' };
    if (this.framing === 'jsonlines' && !this.finishReason) return { error: 'invalid_response', errorMessage: 'stream ended without a chunk carrying finish_reason (truncated)' };
    if (this.outputTokens === undefined) this.outputTokens = this.textChunks;
    return undefined;
  }

  protected readonly onData = (data: string): void => {
    if (this.done || this.fault !== undefined) return;
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    let chunk: OpenAiChunk;
    try {
      chunk = JSON.parse(data) as OpenAiChunk;
    } catch {
      this.fault = { error: 'invalid_response', errorMessage: truncateMessage(`unparseable stream event: ${data}`) };
      return;
    }
    if (chunk.error !== undefined) {
      const message = typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? 'error event');
      const type = typeof chunk.error === 'string' ? chunk.error_type : chunk.error.type;
      const code = typeof chunk.error === 'string' ? undefined : chunk.error.code;
      this.fault = faultFromStreamError(message, type, code);
      return;
    }
    const choice = chunk.choices?.[0];
    if (choice !== undefined) {
      const text = choice.text ?? choice.delta?.content;
      if (typeof text === 'string' && text !== '') {
        if (this.firstTokenMs === undefined) this.firstTokenMs = this.nowMs;
        this.textChunks += 1;
        this.countToken(); // one text chunk = one token event (usage gives the true total)
      }
      if (choice.finish_reason !== undefined && choice.finish_reason !== null) this.finishReason = true;
    }
    if (chunk.usage) {
      if (typeof chunk.usage.completion_tokens === 'number') this.outputTokens = chunk.usage.completion_tokens;
      if (typeof chunk.usage.prompt_tokens === 'number') this.serverInputTokens = chunk.usage.prompt_tokens;
    }
  };
}

/** Parses a non-streamed `/v1/completions` or `/v1/chat/completions` answer: tokens from `usage`. */
export function parseCompletionBody(body: string): { outputTokens: number; serverInputTokens?: number } | Fault {
  let parsed: OpenAiChunk;
  try {
    parsed = JSON.parse(body) as OpenAiChunk;
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
