/**
 * A zero-latency TGI-protocol server for `npm run bench:loadgen`: answers /generate and
 * /generate_stream instantly from prebuilt buffers, so what the benchmark measures is the client.
 * Run as a child process; prints `listening <port>` once ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const OUTPUT_TOKENS = Number(process.env.BENCH_OUTPUT_TOKENS ?? '256');
/** Token events per write on streams (one network write usually carries several events). */
const EVENTS_PER_WRITE = Number(process.env.BENCH_EVENTS_PER_WRITE ?? '16');

const generateBody = Buffer.from(
  JSON.stringify([{ generated_text: 'x'.repeat(OUTPUT_TOKENS), details: { finish_reason: 'length', generated_tokens: OUTPUT_TOKENS, seed: null } }]),
);
const streamWrites: Buffer[] = [];
let batch = '';
for (let i = 0; i < OUTPUT_TOKENS; i++) {
  batch += `data:{"index":${i + 1},"token":{"id":${1000 + i},"text":" x","logprob":-0.1,"special":false},"generated_text":null,"details":null}\n\n`;
  if ((i + 1) % EVENTS_PER_WRITE === 0) {
    streamWrites.push(Buffer.from(batch));
    batch = '';
  }
}
batch += `data:{"index":${OUTPUT_TOKENS + 1},"token":{"id":2,"text":"","logprob":0,"special":true},"generated_text":"done","details":{"finish_reason":"length","generated_tokens":${OUTPUT_TOKENS},"seed":null}}\n\n`;
streamWrites.push(Buffer.from(batch));

const JSON_HEADERS = { 'content-type': 'application/json', 'content-length': String(generateBody.length) };
const SSE_HEADERS = { 'content-type': 'text/event-stream' };

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/generate_stream') {
      res.writeHead(200, SSE_HEADERS);
      for (let i = 0; i < streamWrites.length - 1; i++) res.write(streamWrites[i]);
      res.end(streamWrites[streamWrites.length - 1]);
      return;
    }
    res.writeHead(200, JSON_HEADERS);
    res.end(generateBody);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? '0'), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
// Exit at once: idle keep-alive connections of the clients would hold server.close() open.
process.on('SIGTERM', () => process.exit(0));
