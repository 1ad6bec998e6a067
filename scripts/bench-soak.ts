/**
 * `npm run bench:soak`: is a level's memory bounded? Drives the zero-latency TGI server (child
 * process) with runLevel at c=512 for 10 minutes, summarizing in constant memory (keepRecords off)
 * while every raw record goes to disk (gzip JSON lines in a temporary folder, removed at the end),
 * and prints RSS every 30 s. Passes when the last RSS is within 20 % of the RSS at 1 minute.
 * Flags: --duration S (default 600), --concurrency N (default 512), --every S (default 30).
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { createPayloadSource } from '../loadtest/payload';
import { runLevel } from '../loadtest/runner/run-level';
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

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function main(): Promise<void> {
  const { child, url } = await startZeroLatencyServer(OUTPUT_TOKENS);
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const file = join(dir, `c-${CONCURRENCY}-w0.jsonl.gz`);
  // Records leave memory as they come: batches of lines, each gzipped and written synchronously
  // (one gzip member per batch; a gzip reader reads the concatenation), so a slow disk slows the
  // client instead of queueing records in memory.
  const fd = openSync(file, 'w');
  let batch: string[] = [];
  const flush = (): void => {
    if (batch.length === 0) return;
    writeSync(fd, gzipSync(batch.join(''), { level: constants.Z_BEST_SPEED }));
    batch = [];
  };
  const target = createTarget(parseTargetSpec(`tgi:${url}`), { maxSockets: CONCURRENCY, stream: false });
  const samples: { atS: number; rss: number }[] = [];
  let done = 0;
  const started = performance.now();
  const timer = setInterval(() => {
    const atS = Math.round((performance.now() - started) / 1000);
    const rss = process.memoryUsage().rss;
    samples.push({ atS, rss });
    console.log(`t=${String(atS).padStart(4)} s  RSS ${mb(rss).padStart(7)}  heap ${mb(process.memoryUsage().heapUsed).padStart(7)}  requests ${done}`);
  }, EVERY_S * 1000);
  console.log(`soak: c=${CONCURRENCY} against the zero-latency server at ${url} for ${DURATION_S} s; records → ${file}`);
  try {
    const { level, records } = await runLevel({
      target,
      payload: createPayloadSource({ inputTokens: 256, outputTokens: OUTPUT_TOKENS }),
      concurrency: CONCURRENCY,
      durationS: DURATION_S,
      keepRecords: false,
      onRecord: (record) => {
        done += 1;
        batch.push(JSON.stringify(record) + '\n');
        if (batch.length >= 4096) flush();
      },
    });
    clearInterval(timer);
    flush();
    closeSync(fd);
    console.log(
      `level: ${level.requests} requests (${level.requestsPerS.toFixed(0)}/s), ${level.ok} ok; records kept in memory: ${records.length}; ` +
        `records on disk ${mb(statSync(file).size)} gzip; client ${level.client?.verdict} (CPU ${level.client?.cpuPct.toFixed(0)} %)`,
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
