/**
 * Human rendering of a plan for the terminal: one labelled line per figure, then one row per
 * predicted concurrency level. Pure: a PlanWithCurve in, text out.
 */
import { describePrice } from '../catalog';
import type { PlanWithCurve } from './plan-curve';

const MiB = 1024 * 1024;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : '∞');
const gb = (bytes: number): string => `${fixed(bytes / 1e9, 2)} GB`;

function labelled(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => cell.padStart(widths[i])).join('  ');
}

function curveTable(plan: PlanWithCurve): string[] {
  if (plan.curve === undefined) return [];
  if (plan.curve.length === 0) return ['', `predicted curve: skipped (${plan.curveSkippedReason ?? 'no levels'})`];
  const header = ['concurrency', 'tokens/s', 'ms/token', 'e2e p50 ms', 'TTFT p50 ms', 'feasible', 'timeouts', 'overloaded'];
  // A level where no request completed has no latency: show a dash, not a perfect 0 ms.
  const latency = (completed: boolean, n: number, digits: number): string => (completed ? fixed(n, digits) : '—');
  const rows = plan.curve.map((level) => [
    String(level.concurrency),
    fixed(level.throughputTokensPerS, 0),
    latency(level.e2eMsP50 > 0, level.latencyMsPerToken, 1),
    latency(level.e2eMsP50 > 0, level.e2eMsP50, 0),
    latency(level.ttftMsP50 > 0, level.ttftMsP50, 0),
    level.feasible ? 'yes' : 'no',
    String(level.timeouts),
    String(level.overloaded),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const summary = labelled([
    ['max feasible concurrency', plan.maxFeasibleConcurrency !== undefined ? String(plan.maxFeasibleConcurrency) : 'none'],
    ['max throughput', plan.maxThroughput ? `${fixed(plan.maxThroughput.tokensPerS, 0)} tokens/s at concurrency ${plan.maxThroughput.concurrency}` : 'none'],
    ['cost at max throughput', plan.usdPerMillionTokensAtMaxThroughput !== undefined ? `${fixed(plan.usdPerMillionTokensAtMaxThroughput, 2)} USD per 1M tokens` : 'n/a'],
    ['knee', plan.knee ? `concurrency ${plan.knee.concurrency} (${plan.knee.detail ?? plan.knee.rule})` : 'none'],
  ]);
  return ['', 'predicted curve (engine, virtual time):', pad(header, widths), ...rows.map((r) => pad(r, widths)), '', ...summary];
}

function fitsOn(alternatives: NonNullable<PlanWithCurve['fitsOn']>): string {
  if (alternatives.length === 0) return 'no instance type of the catalog';
  return alternatives.map((a) => `${a.instance} TP ${a.tp} (${fixed(a.hourlyUsd, 3)} USD/h)`).join(', ');
}

/** The engine's settings: TGI's limits and batching, or LMI's with the vLLM scheduler's limits. */
function engineRows(plan: PlanWithCurve): (readonly [string, string])[] {
  const { vllm } = plan;
  if (plan.engine === 'lmi' && vllm !== undefined) {
    return [
      ['engine', 'LMI (vLLM scheduler: chunked prefill, paged KV cache, recompute preemption)'],
      ['LMI request limits', `OPTION_MAX_MODEL_LEN ${vllm.maxModelLen}, job queue ${vllm.jobQueueSize}`],
      [
        'vLLM scheduling',
        `max_num_seqs ${vllm.maxNumSeqs}, max_num_batched_tokens ${vllm.maxNumBatchedTokens}, chunked prefill ${vllm.enableChunkedPrefill ? 'on' : 'off'}, ` +
          `KV cache ${int(vllm.kvCacheBlocks)} blocks of ${vllm.blockSizeTokens} tokens (gpu_memory_utilization ${vllm.gpuMemoryUtilization})`,
      ],
    ];
  }
  return [
    ['TGI request limits', `MAX_INPUT_TOKENS ${plan.tgi.maxInputTokens}, MAX_TOTAL_TOKENS ${plan.tgi.maxTotalTokens}`],
    [
      'TGI batching',
      `MAX_BATCH_PREFILL_TOKENS ${plan.tgi.maxBatchPrefillTokens}, MAX_BATCH_TOTAL_TOKENS ${plan.tgi.maxBatchTotalTokens ?? 'auto'}, ` +
        `MAX_CONCURRENT_REQUESTS ${plan.tgi.maxConcurrentRequests}`,
    ],
  ];
}

/** The plan as a table for people; `--json` prints the same object as JSON. */
export function renderPlanTable(plan: PlanWithCurve, now: Date = new Date()): string {
  const copies = `${plan.copies} cop${plan.copies === 1 ? 'y' : 'ies'} × ${plan.instances} instance${plan.instances === 1 ? '' : 's'}`;
  const head = `${plan.model} on ${plan.instance} (${plan.acceleratorCount} × ${plan.accelerator}), TP ${plan.tp} (${plan.tpSource}), ${copies}`;
  const rows = labelled([
    ['payload', `${plan.inputTokens} input + ${plan.outputTokens} output tokens`],
    ['fits', plan.fits ? 'yes' : `NO: ${plan.reason ?? ''}${plan.shortfallGB !== undefined ? ` (short by ${fixed(plan.shortfallGB, 2)} GB)` : ''}`],
    ...(plan.fitsOn !== undefined ? [['fits instead on', fitsOn(plan.fitsOn)] as const] : []),
    ['valid TP degrees', plan.validTpDegrees.join(', ')],
    ['weights', `${gb(plan.weightsBytes)} (${gb(plan.weightsBytesPerShard)} per shard)`],
    ['KV cache per token', `${fixed(plan.kvBytesPerToken / MiB, 3)} MiB (${int(plan.kvBytesPerToken)} B)`],
    ['KV cache room per copy', `${gb(plan.kvBudgetBytes)} = ${int(plan.kvCapacityTokens)} tokens`],
    ['max batch by memory', `${int(plan.maxBatchByMemory)} sequences of ${plan.inputTokens + plan.outputTokens} tokens`],
    ['ops/byte, critical batch B*', `${fixed(plan.opsPerByte, 1)}, B* = ${plan.criticalBatch}`],
    ['accelerators for B* sequences', `${plan.acceleratorsForCriticalBatch} × ${plan.accelerator} (weights + KV of ${plan.criticalBatch} sequences)`],
    ['batch bound first by', plan.batchLimit],
    // One knee: the bound here without a curve, the bound placed on the curve below with one.
    ...(plan.curve === undefined ? [['knee', `≈ concurrency ${plan.predictedKneeConcurrency} (${plan.predictedKneeDetail})`] as const] : []),
    ['decode step at batch 1', `${fixed(plan.decodeStepMsBatch1, 2)} ms (all-reduce ${fixed(plan.allReduceMsPerStepBatch1, 2)} ms), ideal roofline`],
    ['prefill of the input', `${fixed(plan.prefillMsInput, 1)} ms`],
    ['one request alone', `${fixed(plan.throughputTokensPerSBatch1, 1)} tokens/s`],
    ['price', `${fixed(plan.hourlyUsd, 3)} USD/h${plan.price.discount > 0 ? ` (after ${fixed(plan.price.discount * 100, 0)}% discount)` : ''}`],
    ['price source', describePrice(plan.price, now).replace(/^prices: /, '')],
    ['cost at batch 1', `${fixed(plan.usdPerMillionTokensAtBatch1, 2)} USD per 1M tokens`],
    ...engineRows(plan),
  ]);
  const problems = plan.problems.length > 0 ? ['', 'problems:', ...plan.problems.map((p) => `  - ${p}`)] : [];
  return [head, ...rows, ...problems, ...curveTable(plan)].join('\n') + '\n';
}
