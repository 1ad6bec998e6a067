import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { payloadPart } from './event-stream-server';

/**
 * A loopback server that streams chat completions in chunks of several tokens each, paced by a
 * fixed gap: OpenAI SSE on POST /v1/chat/completions, and LMI JSON lines inside SageMaker
 * PayloadPart frames on POST /endpoints/{name}/invocations-response-stream. The usage chunk reports
 * the true token count, so a client that counted chunks would be wrong by the chunk size.
 */
export interface ChunkedStreamOptions {
  readonly tokensPerChunk: number;
  readonly chunks: number;
  readonly gapMs: number;
  readonly promptTokens: number;
}

export interface ChunkedStreamServer {
  readonly url: string;
  /** Request bodies received, parsed. */
  readonly bodies: Record<string, unknown>[];
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function chunkPayloads(options: ChunkedStreamOptions): string[] {
  const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm' };
  const payloads = [JSON.stringify({ ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })];
  for (let i = 0; i < options.chunks; i += 1) {
    const content = Array.from({ length: options.tokensPerChunk }, () => ' tok').join('');
    const finish = i === options.chunks - 1 ? 'length' : null;
    payloads.push(JSON.stringify({ ...head, choices: [{ index: 0, delta: { content }, finish_reason: finish }] }));
  }
  const completion = options.chunks * options.tokensPerChunk;
  payloads.push(JSON.stringify({ ...head, choices: [], usage: { prompt_tokens: options.promptTokens, completion_tokens: completion, total_tokens: options.promptTokens + completion } }));
  return payloads;
}

export async function startChunkedStreamServer(options: ChunkedStreamOptions): Promise<ChunkedStreamServer> {
  const bodies: Record<string, unknown>[] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      bodies.push(JSON.parse(text) as Record<string, unknown>);
      const sagemaker = (request.url ?? '').endsWith('/invocations-response-stream');
      response.writeHead(200, sagemaker
        ? { 'Content-Type': 'application/vnd.amazon.eventstream', 'X-Amzn-SageMaker-Content-Type': 'application/jsonlines' }
        : { 'Content-Type': 'text/event-stream' });
      const write = (bytes: string): void => {
        response.write(sagemaker ? payloadPart(new TextEncoder().encode(bytes)) : bytes);
      };
      void (async () => {
        const payloads = chunkPayloads(options);
        // The role chunk and the first content chunk go out together; then one chunk per gap.
        write(sagemaker ? `${payloads[0]}\n${payloads[1]}\n` : `data: ${payloads[0]}\n\ndata: ${payloads[1]}\n\n`);
        for (const payload of payloads.slice(2, -1)) {
          await sleep(options.gapMs);
          write(sagemaker ? `${payload}\n` : `data: ${payload}\n\n`);
        }
        const usage = payloads[payloads.length - 1] as string;
        write(sagemaker ? `${usage}\n\n` : `data: ${usage}\n\ndata: [DONE]\n\n`);
        response.end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
