import { createTarget, parseTargetSpec } from '../../loadtest/targets';
import { modelStreamError, payloadPart, startEventStreamServer } from '../support/event-stream-server';
import { generationRequest, NO_ABORT } from '../support/requests';

const encoder = new TextEncoder();
const token = (i: number, text: string): string =>
  `data:{"index":${i},"token":{"id":${i},"text":"${text}","logprob":-0.1,"special":false},"generated_text":null,"details":null}\n\n`;
const SSE =
  token(1, ' café') +
  token(2, ' naïve') +
  token(3, ' ok') +
  'data:{"index":4,"token":{"id":2,"text":"","special":true},"generated_text":" café naïve ok","details":{"finish_reason":"length","generated_tokens":3}}\n\n';

/** Cuts bytes into PayloadParts of `size` bytes: lines and UTF-8 characters split across frames. */
function parts(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(payloadPart(bytes.subarray(i, i + size)));
  return out;
}

describe('SageMaker streaming: TGI SSE lines split across PayloadPart frames (real SDK)', () => {
  it.each([1, 7, 50])('reassembles lines cut every %i bytes', async (size) => {
    const server = await startEventStreamServer(() => parts(encoder.encode(SSE), size));
    const target = createTarget(parseTargetSpec('sagemaker:frames'), { maxSockets: 1, stream: true, endpointUrl: server.url });
    try {
      const record = await target.generate(generationRequest(), NO_ABORT);
      expect(record.error).toBeUndefined();
      expect(record.outputTokens).toBe(3);
      expect(record.firstTokenMs).toBeGreaterThanOrEqual(record.sentMs);
    } finally {
      await target.close();
      await server.close();
    }
  });

  it('maps a ModelStreamError after the first tokens to model_error', async () => {
    const server = await startEventStreamServer(() => [...parts(encoder.encode(token(1, 'a')), 13), modelStreamError('Received error from primary')]);
    const target = createTarget(parseTargetSpec('sagemaker:frames'), { maxSockets: 1, stream: true, endpointUrl: server.url });
    try {
      const record = await target.generate(generationRequest(), NO_ABORT);
      expect(record.error).toBe('model_error');
      expect(record.errorMessage).toMatch(/ModelStreamError.*Received error from primary/);
    } finally {
      await target.close();
      await server.close();
    }
  });

  it('reports a stream that ends without its final event as invalid_response', async () => {
    const server = await startEventStreamServer(() => parts(encoder.encode(token(1, 'a') + token(2, 'b')), 9));
    const target = createTarget(parseTargetSpec('sagemaker:frames'), { maxSockets: 1, stream: true, endpointUrl: server.url });
    try {
      const record = await target.generate(generationRequest(), NO_ABORT);
      expect(record.error).toBe('invalid_response');
      expect(record.errorMessage).toMatch(/truncated/);
    } finally {
      await target.close();
      await server.close();
    }
  });
});
