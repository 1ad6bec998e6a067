import type { Fault } from './error-kinds';
import type { StreamReader } from './http-target';
import { JsonLines } from './json-lines';
import { SseDataLines } from './sse-lines';

/**
 * How a stream's bytes are cut into events: server-sent events (`data:` lines; TGI, OpenAI-compatible
 * servers, TGI on SageMaker) or JSON lines (LMI on SageMaker, `application/jsonlines`).
 */
export type StreamFraming = 'sse' | 'jsonlines';

/**
 * What the stream readers share: splitting chunks into event payloads per framing, chunk timing
 * (inter-chunk gaps, the arrival time first-token detection reads) and the fields a request
 * record takes. A subclass parses each payload (`onData`) and says what a stream that ended
 * without a fault still lacks (`finish`).
 */
export abstract class FramedStreamReader implements StreamReader {
  private readonly lines: SseDataLines | JsonLines;
  private lastChunkMs = -1;
  /** Arrival time of the chunk whose payloads are being parsed, ms. */
  protected nowMs = 0;
  public firstTokenMs: number | undefined;
  public outputTokens: number | undefined;
  public serverInputTokens: number | undefined;
  public readonly interChunkGapsMs: number[] = [];
  /** Token events per read (one entry per read, gaps recorded): k tokens after a gap g are k gaps of g/k. */
  public readonly chunkTokens: number[] = [];
  private tokensInRead = 0;
  public fault: Fault | undefined;

  constructor(
    private readonly recordGaps: boolean,
    protected readonly framing: StreamFraming = 'sse',
  ) {
    this.lines = framing === 'sse' ? new SseDataLines() : new JsonLines();
  }

  push(chunk: Uint8Array, nowMs: number): void {
    if (this.recordGaps && this.lastChunkMs >= 0) this.interChunkGapsMs.push(nowMs - this.lastChunkMs);
    this.lastChunkMs = nowMs;
    this.nowMs = nowMs;
    this.tokensInRead = 0;
    this.lines.push(chunk, this.onData);
    if (this.recordGaps) this.chunkTokens.push(this.tokensInRead);
  }

  /** Counts one token event in the read being parsed (subclasses call it per token event). */
  protected countToken(): void {
    this.tokensInRead += 1;
  }

  /** Ends the stream; a stream that ended without its final event is a truncated (invalid) response. */
  end(): Fault | undefined {
    this.tokensInRead = 0;
    this.lines.end(this.onData);
    // Payloads completed only by the end of the stream belong to the last read.
    if (this.recordGaps && this.tokensInRead > 0 && this.chunkTokens.length > 0) this.chunkTokens[this.chunkTokens.length - 1] += this.tokensInRead;
    if (this.fault === undefined) this.fault = this.finish();
    return this.fault;
  }

  /** Parses one event payload (an arrow-function property: it is passed on unbound). */
  protected abstract readonly onData: (data: string) => void;

  /** Called by `end()` when no fault arrived: completes the counts, or returns the fault of a truncated stream. */
  protected abstract finish(): Fault | undefined;
}
