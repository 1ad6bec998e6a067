/**
 * `npm run bench:loadgen`: is the load generator ever the bottleneck? Starts a zero-latency
 * TGI-protocol server in a child process, drives it at c=256 for 10 s with runLevel and with
 * autocannon (same body, same connections), prints both requests/s and their ratio (target ≥ 0.8),
 * then the streamed tokens/s runLevel parses from /generate_stream.
 * Both clients first run 2 s untimed (server and client JIT warm, connections open); then the
 * measured runs alternate `--rounds` times and the best of each is compared, because a shared
 * machine's noise hits whichever run it lands on.
 * Flags: --duration S (default 10), --concurrency N (default 256), --rounds N (default 3).
 */
import autocannon from 'autocannon';
import { createPayloadSource } from '../loadtest/payload';
import { runLevel } from '../loadtest/runner/run-level';
import { createTarget, parseTargetSpec } from '../loadtest/targets';
import { tgiRequestBody } from '../loadtest/targets/tgi';
import { startZeroLatencyServer } from './zero-latency-child';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const DURATION_S = flag('--duration', 10);
const CONCURRENCY = flag('--concurrency', 256);
const ROUNDS = flag('--rounds', 3);
const WARMUP_S = 2;
const OUTPUT_TOKENS = 256;


/** Client CPU (user + system) per request, µs: the share of the cores the client takes from the server. */
function cpuMicrosPerRequest(since: NodeJS.CpuUsage, requests: number): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / Math.max(1, requests);
}

async function runAutocannon(url: string, body: string, durationS = DURATION_S): Promise<{ requestsPerS: number; cpuMicros: number }> {
  const cpu = process.cpuUsage();
  const result = await autocannon({
    url: `${url}/generate`,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
    connections: CONCURRENCY,
    duration: durationS,
    pipelining: 1,
  });
  return { requestsPerS: result.requests.total / (result.duration || durationS), cpuMicros: cpuMicrosPerRequest(cpu, result.requests.total) };
}

async function runLoadgen(url: string, stream: boolean, durationS = DURATION_S): Promise<{ requestsPerS: number; tokensPerS: number; errors: number; cpuMicros: number }> {
  const payload = createPayloadSource({ inputTokens: 256, outputTokens: OUTPUT_TOKENS });
  const target = createTarget(parseTargetSpec(`tgi:${url}`), { maxSockets: CONCURRENCY, stream, recordChunkGaps: false });
  const cpu = process.cpuUsage();
  try {
    const { level } = await runLevel({ target, payload, concurrency: CONCURRENCY, durationS, warmupRequests: CONCURRENCY });
    const errors = level.requests - level.ok;
    return { requestsPerS: level.requestsPerS, tokensPerS: level.throughputTokensPerS, errors, cpuMicros: cpuMicrosPerRequest(cpu, level.requests) };
  } finally {
    await target.close();
  }
}

async function main(): Promise<void> {
  const { child, url } = await startZeroLatencyServer(OUTPUT_TOKENS);
  try {
    const body = tgiRequestBody(createPayloadSource({ inputTokens: 256, outputTokens: OUTPUT_TOKENS }).next().prompt, OUTPUT_TOKENS);
    console.log(`zero-latency TGI server at ${url}; c=${CONCURRENCY}, ${DURATION_S} s per run, body ${body.length} bytes`);
    await runAutocannon(url, body, WARMUP_S);
    await runLoadgen(url, false, WARMUP_S);
    let bestLoadgen = 0;
    let bestCannon = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate which client goes first, so neither always meets the same phase of the noise.
      const order = round % 2 === 1 ? ['runLevel', 'autocannon'] : ['autocannon', 'runLevel'];
      for (const client of order) {
        if (client === 'runLevel') {
          const loadgen = await runLoadgen(url, false);
          console.log(
            `round ${round} runLevel   /generate: ${loadgen.requestsPerS.toFixed(0)} req/s, ${loadgen.cpuMicros.toFixed(0)} µs client CPU/request (${loadgen.errors} errors)`,
          );
          bestLoadgen = Math.max(bestLoadgen, loadgen.requestsPerS);
        } else {
          const cannon = await runAutocannon(url, body);
          console.log(`round ${round} autocannon /generate: ${cannon.requestsPerS.toFixed(0)} req/s, ${cannon.cpuMicros.toFixed(0)} µs client CPU/request`);
          bestCannon = Math.max(bestCannon, cannon.requestsPerS);
        }
      }
    }
    console.log(`best runLevel ${bestLoadgen.toFixed(0)} req/s, best autocannon ${bestCannon.toFixed(0)} req/s`);
    const ratio = bestLoadgen / bestCannon;
    console.log(`ratio runLevel/autocannon: ${ratio.toFixed(2)} (target ≥ 0.80) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`);
    const streamed = await runLoadgen(url, true);
    console.log(
      `runLevel   /generate_stream: ${streamed.requestsPerS.toFixed(0)} req/s, ${streamed.tokensPerS.toFixed(0)} streamed tokens/s parsed (${streamed.errors} errors)`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
