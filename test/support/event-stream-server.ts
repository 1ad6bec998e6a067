import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function frame(headers: Record<string, string>, body: Uint8Array): Uint8Array {
  const messageHeaders: MessageHeaders = {};
  for (const [name, value] of Object.entries(headers)) messageHeaders[name] = { type: 'string', value };
  return codec.encode({ headers: messageHeaders, body });
}

export function payloadPart(bytes: Uint8Array): Uint8Array {
  return frame({ ':event-type': 'PayloadPart', ':message-type': 'event', ':content-type': 'application/octet-stream' }, bytes);
}

export function modelStreamError(message: string): Uint8Array {
  return frame(
    { ':exception-type': 'ModelStreamError', ':message-type': 'exception', ':content-type': 'application/json' },
    fromUtf8(JSON.stringify({ Message: message, ErrorCode: 'ModelStreamError' })),
  );
}

/**
 * A SageMaker runtime InvokeEndpointWithResponseStream server on loopback whose answer is the
 * given list of event-stream frames (each written separately), for framing edge cases.
 */
export async function startEventStreamServer(frames: () => readonly Uint8Array[]): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/vnd.amazon.eventstream', 'X-Amzn-SageMaker-Content-Type': 'text/event-stream' });
      for (const f of frames()) res.write(f);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
