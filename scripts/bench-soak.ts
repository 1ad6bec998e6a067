/**
 * `npm run bench:soak`: is a sweep level's memory bounded? Runs `runSweep` (the CLI sweep's path) at
 * c=512 against the zero-latency TGI server (child process) for 10 minutes: records are streamed to
 * the level's records file (gzip JSON lines in a temporary run folder, removed at the end) as they
 * complete and the level is summarized by constant-memory accumulators, the steady window by a
 * second pass over the file. Prints RSS every 30 s, right after a full garbage collection (and the
 * RSS before it). Passes when the last RSS after GC is within 20 % of the one at 1 minute.
 * Flags: --duration S (default 600), --concurrency N (default 512), --every S (default 30).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createPayloadSource } from '../loadtest/payload';
import { runSweep } from '../loadtest/sweep/run-sweep';
import { createTarget, parseTargetSpec } from '../loadtest/targets';
import { startZeroLatencyServer } from './zero-latency-child';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const DURATION_S = flag('--duration', 600);
const CONCURRENCY = flag('--concurrency', 512);
const EVERY_S = flag('--every', 30);
const OUTPUT_TOKENS = 256;
/** The reference point: RSS once the level has reached its steady state. */
const REFERENCE_S = Math.min(60, DURATION_S / 2);
const ALLOWED_GROWTH = 0.2;

/**
 * global.gc without starting node with --expose-gc: the flag set at run time exposes `gc` to new
 * contexts (https://nodejs.org/api/v8.html#v8setflagsfromstringflags).
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function main(): Promise<void> {
  const { child, url } = await startZeroLatencyServer(OUTPUT_TOKENS);
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const target = createTarget(parseTargetSpec(`tgi:${url}`), { maxSockets: CONCURRENCY, stream: false });
  const samples: { atS: number; rss: number }[] = [];
  let done = 0;
  const started = performance.now();
  const timer = setInterval(() => {
    const atS = Math.round((performance.now() - started) / 1000);
    const before = process.memoryUsage().rss;
    // A full collection first: what is sampled is memory the client holds, not garbage V8 has not
    // collected yet (its heap grows and shrinks with the allocation rate and the CPU it gets).
    collectGarbage();
    const memory = process.memoryUsage();
    const rss = memory.rss;
    samples.push({ atS, rss });
    console.log(
      `t=${String(atS).padStart(4)} s  RSS ${mb(rss).padStart(7)} (${mb(before).padStart(7)} before GC)  live heap ${mb(memory.heapUsed).padStart(6)} of ${mb(memory.heapTotal).padStart(6)}  ` +
        `external ${mb(memory.external).padStart(6)}  requests ${done}`,
    );
  }, EVERY_S * 1000);
  console.log(`soak: c=${CONCURRENCY} against the zero-latency server at ${url} for ${DURATION_S} s; run folder ${dir}`);
  try {
    const sweep = await runSweep({
      target,
      payload: createPayloadSource({ inputTokens: 256, outputTokens: OUTPUT_TOKENS }),
      levels: [CONCURRENCY],
      outDir: dir,
      durationS: DURATION_S,
      warmupRequests: 0,
      gzipRecords: true,
      stopRules: { invocationTimeoutMs: 60_000, maxErrorRate: 1, plateauGain: -Infinity },
      label: 'soak',
      onRecord: () => {
        done += 1;
      },
    });
    const measuredS = Math.round((performance.now() - started) / 1000);
    clearInterval(timer);
    const level = sweep.levels[0];
    const files = readdirSync(join(dir, 'records')).map((f) => join(dir, 'records', f));
    const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
    console.log(
      `level: ${level.requests} requests (${level.requestsPerS.toFixed(0)}/s), ${level.ok} ok, steady ${level.steadyThroughputTokensPerS?.toFixed(0)} tokens/s; ` +
        `records on disk ${mb(bytes)} gzip in ${files.length} file(s); client ${level.client?.verdict} (CPU ${level.client?.cpuPct.toFixed(0)} %); ` +
        `level and summary done at ${measuredS} s`,
    );
    const reference = samples.find((s) => s.atS >= REFERENCE_S) ?? samples[0];
    const last = samples[samples.length - 1];
    if (reference === undefined || last === undefined) throw new Error('no RSS sample: run longer than --every');
    const growth = last.rss / reference.rss - 1;
    const flat = Math.abs(growth) <= ALLOWED_GROWTH;
    console.log(
      `RSS at ${reference.atS} s ${mb(reference.rss)}, last (${last.atS} s) ${mb(last.rss)}: ${(growth * 100).toFixed(1)} % ` +
        `(allowed ±${ALLOWED_GROWTH * 100} %) ${flat ? 'FLAT' : 'GROWING'}`,
    );
    if (!flat) process.exitCode = 1;
  } finally {
    clearInterval(timer);
    await target.close();
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
