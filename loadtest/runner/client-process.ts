/**
 * Entry of a client process of `llm-bench sweep --processes N` (forked by ProcessPool with tsx, as
 * bin/llm-bench.js loads the CLI). It makes its own target and payload, runs the share of each level
 * it is sent with the same runners as an in-process sweep, streams every record to its own records
 * file, and answers with its LevelAccumulator (JSON) and the client verdict on itself.
 */
import { UserInputError } from '../../lib/errors';
import { createPayloadSource, DEFAULT_PAYLOAD_SEED, type PayloadSource } from '../payload';
import { JsonlWriter } from '../records/jsonl';
import { createTarget } from '../targets';
import type { Target } from '../targets/types';
import type { FromProcess, RunMessage, ToProcess } from './process-protocol';
import { processSeed } from './process-shares';
import { runLevel } from './run-level';
import { runOpenLoop } from './run-open-loop';

const PROGRESS_EVERY_MS = 500;

/** Sends to the sweep; once it has disconnected (it ended or gave up on this level) there is no one to tell. */
function send(message: FromProcess): void {
  if (process.connected) process.send?.(message, undefined, {}, () => undefined);
}

let target: Target | undefined;
let payload: PayloadSource | undefined;
let writer: JsonlWriter | undefined;
let controller = new AbortController();

async function run(message: RunMessage): Promise<void> {
  if (target === undefined || payload === undefined) throw new Error('client process: run before init');
  if (writer === undefined || writer.path !== message.recordsPath) {
    writer?.close();
    writer = new JsonlWriter(message.recordsPath, { gzip: message.gzip });
  }
  const out = writer;
  const before = out.count;
  controller = new AbortController();
  let measured = 0;
  const progress = setInterval(() => send({ type: 'progress', id: message.id, measured }), PROGRESS_EVERY_MS);
  const common = {
    target,
    payload,
    durationS: message.durationS,
    speedup: message.speedup,
    slo: message.slo,
    signal: controller.signal,
    keepRecords: false,
    repeat: message.repeat,
    onRecord: (record: Parameters<JsonlWriter['write']>[0]) => {
      out.write(record);
      if (record.warmup !== true) measured += 1;
    },
  };
  const share = message.share;
  try {
    const { level, accumulator } =
      share.kind === 'closed'
        ? await runLevel({
            ...common,
            concurrency: share.concurrency,
            levelKey: message.levelKey,
            firstWorker: share.firstWorker,
            warmupRequests: share.warmupRequests,
            requests: share.requests,
            minCompletionsPerSlot: message.minCompletionsPerSlot,
            startAtEpochMs: message.startAtEpochMs,
          })
        : await runOpenLoop({
            ...common,
            levelKey: message.levelKey,
            ratePerS: share.ratePerS,
            arrival: share.arrival,
            burstiness: share.burstiness,
            seed: share.seed,
            maxConcurrency: share.maxConcurrency,
            warmupRequests: share.warmupRequests,
            requests: share.requests,
            startAtEpochMs: message.startAtEpochMs + share.phaseMs,
          });
    out.flush();
    send({
      type: 'done',
      id: message.id,
      accumulator: accumulator.encode(),
      ...(level.client !== undefined ? { client: level.client } : {}),
      ...(level.openLoop?.peakInFlight !== undefined ? { peakInFlight: level.openLoop.peakInFlight } : {}),
      records: out.count - before,
    });
  } finally {
    clearInterval(progress);
  }
}

function failed(error: unknown, id?: number): void {
  send({
    type: 'failed',
    ...(id !== undefined ? { id } : {}),
    message: error instanceof Error ? error.message : String(error),
    ...(error instanceof UserInputError ? { field: error.field } : {}),
  });
}

process.on('message', (message: ToProcess) => {
  switch (message.type) {
    case 'init':
      try {
        const { workload, index } = message;
        const seed = workload.payload.seed;
        payload = createPayloadSource({ ...workload.payload, ...(seed !== undefined || index > 0 ? { seed: processSeed(seed ?? DEFAULT_PAYLOAD_SEED, index) } : {}) });
        target = createTarget(workload.target, workload.targetOptions);
        send({ type: 'ready' });
      } catch (error) {
        failed(error);
      }
      return;
    case 'run':
      run(message).catch((error: unknown) => failed(error, message.id));
      return;
    case 'end-level': {
      const records = writer?.count ?? 0;
      try {
        writer?.close();
        writer = undefined;
        send({ type: 'level-ended', id: message.id, records });
      } catch (error) {
        failed(error, message.id);
      }
      return;
    }
    case 'abort':
      controller.abort();
      return;
  }
});

// The sweep is gone (it ended, crashed or was killed): close the target and leave.
process.on('disconnect', () => {
  writer?.close();
  void target?.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
