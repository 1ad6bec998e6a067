import type { Fault } from './error-kinds';
import type { StreamReader } from './http-target';
import { SseDataLines } from './sse-lines';

/**
 * What the SSE stream readers share: splitting chunks into `data:` payloads, chunk timing
 * (inter-chunk gaps, the arrival time first-token detection reads) and the fields a request
 * record takes. A subclass parses each payload (`onData`) and says what a stream that ended
 * without a fault still lacks (`finish`).
 */
export abstract class SseStreamReader implements StreamReader {
  private readonly lines = new SseDataLines();
  private lastChunkMs = -1;
  /** Arrival time of the chunk whose payloads are being parsed, ms. */
  protected nowMs = 0;
  public firstTokenMs: number | undefined;
  public outputTokens: number | undefined;
  public serverInputTokens: number | undefined;
  public readonly interChunkGapsMs: number[] = [];
  public fault: Fault | undefined;

  constructor(private readonly recordGaps: boolean) {}

  push(chunk: Uint8Array, nowMs: number): void {
    if (this.recordGaps && this.lastChunkMs >= 0) this.interChunkGapsMs.push(nowMs - this.lastChunkMs);
    this.lastChunkMs = nowMs;
    this.nowMs = nowMs;
    this.lines.push(chunk, this.onData);
  }

  /** Ends the stream; a stream that ended without its final event is a truncated (invalid) response. */
  end(): Fault | undefined {
    this.lines.end(this.onData);
    if (this.fault === undefined) this.fault = this.finish();
    return this.fault;
  }

  /** Parses one `data:` payload (an arrow-function property: it is passed on unbound). */
  protected abstract readonly onData: (data: string) => void;

  /** Called by `end()` when no fault arrived: completes the counts, or returns the fault of a truncated stream. */
  protected abstract finish(): Fault | undefined;
}
