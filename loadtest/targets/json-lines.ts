/**
 * Splits a JSON-lines byte stream (LMI's `application/jsonlines`: one JSON object per line, no
 * `data:` prefix, no `[DONE]`) into lines. Reads (and SageMaker PayloadPart frames) cut lines
 * anywhere, even inside a UTF-8 character: partial lines are buffered. Blank lines are skipped
 * (LMI writes one where vLLM's SSE stream had its usage-only or `[DONE]` event).
 */
export class JsonLines {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';

  push(chunk: Uint8Array, onLine: (line: string) => void): void {
    const text = this.pending + this.decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      this.emit(text.slice(start, newline), onLine);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.pending = start === 0 ? text : text.slice(start);
  }

  /** Flushes a last line that had no trailing newline. */
  end(onLine: (line: string) => void): void {
    const text = this.pending + this.decoder.decode();
    this.pending = '';
    this.emit(text, onLine);
  }

  private emit(line: string, onLine: (line: string) => void): void {
    const trimmed = line.trim();
    if (trimmed !== '') onLine(trimmed);
  }
}
