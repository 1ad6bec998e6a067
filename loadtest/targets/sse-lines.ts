/**
 * Splits a byte stream of server-sent events into `data:` payloads. Network reads (and SageMaker
 * PayloadPart frames) cut lines anywhere, even inside a UTF-8 character: partial lines are buffered.
 */
export class SseDataLines {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';

  /** Feeds one chunk; calls `onData` with each complete `data:` payload (prefix and one leading space removed). */
  push(chunk: Uint8Array, onData: (data: string) => void): void {
    const text = this.pending + this.decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      this.emitLine(text, start, newline, onData);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.pending = start === 0 ? text : text.slice(start);
  }

  /** Flushes a last line that had no trailing newline. */
  end(onData: (data: string) => void): void {
    const text = this.pending + this.decoder.decode();
    this.pending = '';
    if (text.length > 0) this.emitLine(text, 0, text.length, onData);
  }

  private emitLine(text: string, start: number, end: number, onData: (data: string) => void): void {
    if (end > start && text.charCodeAt(end - 1) === 13 /* \r */) end -= 1;
    if (!text.startsWith('data:', start)) return;
    let from = start + 5;
    if (text.charCodeAt(from) === 32 /* space */) from += 1;
    onData(text.slice(from, end));
  }
}
