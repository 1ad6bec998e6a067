import { Writable } from 'node:stream';

/** A writable stream that keeps what was written to it in `text` (a command's stdout or stderr in tests). */
export function collector(): Writable & { text: string } {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      sink.text += chunk.toString();
      callback();
    },
  }) as Writable & { text: string };
  sink.text = '';
  return sink;
}
