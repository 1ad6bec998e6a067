import { SseDataLines } from '../../loadtest/targets/sse-lines';
import { TgiStreamReader, parseTgiGenerateBody } from '../../loadtest/targets/tgi-stream';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('SseDataLines', () => {
  it('buffers lines and UTF-8 characters split across chunks', () => {
    const all = bytes('data:{"t":"é"}\r\n\ndata: second\n: comment\nevent: x\ndata:third');
    const seen: string[] = [];
    const lines = new SseDataLines();
    // Feed one byte at a time: every cut point, including inside the two-byte 'é'.
    for (const byte of all) lines.push(Uint8Array.of(byte), (d) => seen.push(d));
    lines.end((d) => seen.push(d));
    expect(seen).toEqual(['{"t":"é"}', 'second', 'third']);
  });
});

describe('TgiStreamReader', () => {
  const token = (i: number): string => `data:{"index":${i},"token":{"id":1,"text":"a","special":false},"generated_text":null,"details":null}\n\n`;
  const final = 'data:{"token":{"id":2,"text":"","special":true},"generated_text":"aaa","details":{"generated_tokens":3,"prefill":[]}}\n\n';

  it('takes first token time from the first token event and tokens from the final event', () => {
    const reader = new TgiStreamReader(true);
    const text = token(1) + token(2) + token(3) + final;
    reader.push(bytes(text.slice(0, 10)), 5);
    reader.push(bytes(text.slice(10, 200)), 7);
    reader.push(bytes(text.slice(200)), 12);
    expect(reader.end()).toBeUndefined();
    expect(reader.firstTokenMs).toBe(7);
    expect(reader.outputTokens).toBe(3);
    expect(reader.interChunkGapsMs).toEqual([2, 5]);
  });

  it('reports a stream without its final event as truncated', () => {
    const reader = new TgiStreamReader(false);
    reader.push(bytes(token(1) + token(2)), 1);
    expect(reader.end()).toMatchObject({ error: 'invalid_response' });
    expect(reader.interChunkGapsMs).toEqual([]);
  });

  it('maps an error event to its kind', () => {
    const reader = new TgiStreamReader(false);
    reader.push(bytes('data:{"error":"Model is overloaded","error_type":"overloaded"}\n\n'), 1);
    expect(reader.end()).toMatchObject({ error: 'overloaded' });
  });
});

describe('parseTgiGenerateBody', () => {
  it('reads the list form and the bare object', () => {
    expect(parseTgiGenerateBody('[{"generated_text":"x","details":{"generated_tokens":4}}]')).toEqual({ outputTokens: 4 });
    expect(parseTgiGenerateBody('{"generated_text":"x","details":{"generated_tokens":2,"prefill":[{},{}]}}')).toEqual({
      outputTokens: 2,
      serverInputTokens: 2,
    });
  });
  it('rejects bodies without generated_tokens', () => {
    expect(parseTgiGenerateBody('[{"generated_text":"x"}]')).toMatchObject({ error: 'invalid_response' });
  });
});
