import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request and response plumbing shared by the protocol modules of the local endpoint. */

/** Bodies above this are refused; prompts of a 32k-token context fit many times over. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** Reads the whole request body as a Buffer. */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Parses a JSON body; undefined when it is not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Starts a server-sent-events response (TGI and OpenAI streams). */
export function startSse(response: ServerResponse, headers: Readonly<Record<string, string>> = {}): void {
  response.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    ...headers,
  });
  response.flushHeaders();
}

/** One SSE event, TGI style: `data:{json}` and a blank line. */
export function sseEvent(data: unknown): string {
  return `data:${JSON.stringify(data)}\n\n`;
}

/** Object fields of a parsed JSON body, or undefined. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Calls `onGone` when the client disconnects before the response is complete. */
export function onClientGone(response: ServerResponse, onGone: () => void): void {
  response.on('close', () => {
    if (!response.writableFinished) onGone();
  });
}
