import type { LmiSettings } from '../../catalog/types';
import type { StepTimeParams } from '../calibration/params';
import { createStepTimer, type ShardLayout, type StepTimer } from '../step-time';
import { BlockPool, blocksFor, kvCacheBlocks } from './kv-blocks';
import { ReplicaBase, type Refusal, type TrackedSequence } from './replica-base';
import type { EngineEvent, EngineRequest } from './types';
import { VLLM_DEFAULTS } from './vllm-defaults';

/**
 * One LMI replica: vLLM's V1 scheduler as a discrete-event model in virtual time (ms), on the same
 * step-time physics as the TGI replica (the engines differ in scheduling, not hardware).
 *
 * - Admission (LMI's front end): a request whose prompt + max new tokens exceed OPTION_MAX_MODEL_LEN
 *   is refused (too_long); beyond the job queue (SERVING_JOB_QUEUE_SIZE, else MAX_CONCURRENT_REQUESTS,
 *   LMI default 1000) it is refused as overloaded; otherwise it waits (FCFS).
 * - Each step (vllm/v1/core/sched/scheduler.py, `Scheduler.schedule`) has a token budget of
 *   `max_num_batched_tokens`. Running requests are served first, in order: a decoding one takes 1
 *   token, a partly prefilled one its next chunk (≤ what is left of the budget). Then, if no request
 *   was preempted in this step, waiting requests join while fewer than `max_num_seqs` run and budget
 *   is left, each with a prefill chunk of up to the remaining budget (chunked prefill, on by default
 *   in V1; off, a prompt that does not fit the remaining budget waits for a later step).
 * - KV cache in blocks of 16 tokens (`kv-blocks.ts`), sized from gpu_memory_utilization: a request
 *   holds ⌈computed tokens / 16⌉ blocks. When a running request needs a block and none is free, the
 *   last running request (the newest: FCFS priority) is preempted: its blocks are freed, its KV is
 *   dropped and it goes back to the front of the waiting queue, to be recomputed (prompt + tokens
 *   generated so far) when it is scheduled again (preemption by recompute, V1's only mode).
 * - A request whose computed tokens reach prompt + generated samples its next token at the end of
 *   the step (the first one ends its prefill: TTFT). Output tokens streamed before a preemption are
 *   not sent again.
 * - Prefix caching is not modelled: the benchmark's prompts share no prefix (each is its own text),
 *   so it would find no hit beyond the BOS block.
 */

export interface VllmReplicaOptions {
  readonly layout: ShardLayout;
  readonly lmi: LmiSettings;
  readonly stepTimeParams: StepTimeParams;
  readonly emitTokenEvents: boolean;
  /** vLLM's `num_gpu_blocks_override` ("used for testing preemption"). @default sized from gpu_memory_utilization */
  readonly numGpuBlocksOverride?: number;
}

type State = 'arriving' | 'waiting' | 'running' | 'gone';

interface Sequence extends TrackedSequence {
  state: State;
  /** Tokens whose KV is in the cache (vLLM's num_computed_tokens). */
  computed: number;
  /** KV blocks held. */
  blocks: number;
  preemptions: number;
}

interface Scheduled {
  readonly sequence: Sequence;
  readonly tokens: number;
}

interface Step {
  readonly endMs: number;
  readonly scheduled: readonly Scheduled[];
}

/** The vLLM scheduling limits of LMI settings, vLLM's defaults where LMI leaves them unset. */
export interface VllmLimits {
  readonly maxNumSeqs: number;
  readonly maxNumBatchedTokens: number;
  readonly maxModelLen: number;
  readonly enableChunkedPrefill: boolean;
  readonly gpuMemoryUtilization: number;
  readonly blockSizeTokens: number;
  /** Requests LMI's front end holds (waiting + running) before refusing. */
  readonly jobQueueSize: number;
}

export function vllmLimits(lmi: LmiSettings): VllmLimits {
  return {
    maxNumSeqs: lmi.maxRollingBatchSize,
    maxNumBatchedTokens: lmi.maxNumBatchedTokens ?? VLLM_DEFAULTS.maxNumBatchedTokens,
    maxModelLen: lmi.maxModelLen,
    enableChunkedPrefill: lmi.enableChunkedPrefill ?? VLLM_DEFAULTS.enableChunkedPrefill,
    gpuMemoryUtilization: lmi.gpuMemoryUtilization ?? VLLM_DEFAULTS.gpuMemoryUtilization,
    blockSizeTokens: VLLM_DEFAULTS.blockSizeTokens,
    // The entrypoint copies MAX_CONCURRENT_REQUESTS to SERVING_JOB_QUEUE_SIZE only when the latter is unset.
    jobQueueSize: lmi.jobQueueSize ?? lmi.maxConcurrentRequests,
  };
}

export class VllmReplica extends ReplicaBase<Sequence> {
  readonly limits: VllmLimits;
  readonly pool: BlockPool;
  /** Waiting requests, FCFS; preempted ones go back to the front. */
  private waiting: Sequence[] = [];
  private step: Step | undefined;
  private readonly stepTimer: StepTimer;
  private preemptionCount = 0;
  private maxRunning = 0;

  constructor(options: VllmReplicaOptions) {
    super(options.emitTokenEvents);
    this.limits = vllmLimits(options.lmi);
    const { layout } = options;
    const blocks = options.numGpuBlocksOverride ?? kvCacheBlocks(layout.model, layout.instance, layout.tp, this.limits.gpuMemoryUtilization, this.limits.blockSizeTokens);
    const needed = blocksFor(this.limits.maxModelLen, this.limits.blockSizeTokens);
    // vLLM refuses to start when one request of max_model_len does not fit the KV cache.
    if (blocks < needed) {
      throw new RangeError(
        `the KV cache of ${layout.model.id} on ${layout.instance.name} at TP ${layout.tp} holds ${blocks} blocks of ${this.limits.blockSizeTokens} tokens; ` +
          `one request of maxModelLen ${this.limits.maxModelLen} needs ${needed} (lower maxModelLen or raise gpuMemoryUtilization)`,
      );
    }
    this.pool = new BlockPool(blocks);
    this.stepTimer = createStepTimer(layout, options.stepTimeParams);
  }

  /** Requests preempted (and recomputed later) so far. */
  preemptions(): number {
    return this.preemptionCount;
  }

  /** Largest number of requests that ran at once. */
  peakRunning(): number {
    return this.maxRunning;
  }

  /** Requests waiting to be scheduled (never prefilled, or preempted). */
  waitingCount(): number {
    return this.waiting.length;
  }

  protected newSequence(request: EngineRequest, atMs: number): Sequence {
    return {
      id: request.id,
      inputTokens: request.inputTokens,
      maxNewTokens: request.maxNewTokens,
      arrivalMs: atMs,
      state: 'arriving',
      computed: 0,
      generated: 0,
      blocks: 0,
      preemptions: 0,
    };
  }

  /** A cancelled request leaves the running batch or the waiting queue and frees its blocks. */
  protected dropped(sequence: Sequence): void {
    if (sequence.state === 'running') this.running = this.running.filter((s) => s !== sequence);
    if (sequence.state === 'waiting') this.waiting = this.waiting.filter((s) => s !== sequence);
    this.releaseBlocks(sequence);
  }

  protected workEndMs(): number | undefined {
    return this.step?.endMs;
  }

  protected finishWork(out: EngineEvent[]): void {
    const step = this.step as Step;
    this.step = undefined;
    this.finishStep(step, out);
  }

  protected startWork(atMs: number): void {
    this.startStep(atMs);
  }

  protected refusal(sequence: Sequence): Refusal | undefined {
    const { maxModelLen, jobQueueSize } = this.limits;
    const total = sequence.inputTokens + sequence.maxNewTokens;
    if (total > maxModelLen) {
      // vLLM's OpenAI front end: vllm/entrypoints/openai/serving_engine.py, `_validate_input`.
      return {
        reason: 'too_long',
        message: `This model's maximum context length is ${maxModelLen} tokens. However, you requested ${total} tokens (${sequence.inputTokens} in the messages, ${sequence.maxNewTokens} in the completion).`,
      };
    }
    if (this.accepted >= jobQueueSize) {
      return { reason: 'overloaded', message: `job queue full: ${jobQueueSize} requests held (SERVING_JOB_QUEUE_SIZE / MAX_CONCURRENT_REQUESTS)` };
    }
    return undefined;
  }

  protected enqueue(sequence: Sequence): void {
    sequence.state = 'waiting';
    this.waiting.push(sequence);
  }

  /** Tokens a sequence must still compute before its next token can be sampled. */
  private pendingTokens(sequence: Sequence): number {
    return sequence.inputTokens + sequence.generated - sequence.computed;
  }

  /** Grows a sequence's blocks to hold `tokens` tokens of KV; false when the pool is short. */
  private growTo(sequence: Sequence, tokens: number): boolean {
    const extra = blocksFor(tokens, this.limits.blockSizeTokens) - sequence.blocks;
    if (extra <= 0) return true;
    if (!this.pool.tryAllocate(extra)) return false;
    sequence.blocks += extra;
    return true;
  }

  private releaseBlocks(sequence: Sequence): void {
    if (sequence.blocks > 0) this.pool.release(sequence.blocks);
    sequence.blocks = 0;
  }

  private preempt(sequence: Sequence): void {
    this.releaseBlocks(sequence);
    sequence.computed = 0;
    sequence.preemptions += 1;
    sequence.state = 'waiting';
    this.preemptionCount += 1;
    this.waiting.unshift(sequence);
  }

  private startStep(atMs: number): void {
    const { maxNumBatchedTokens, maxNumSeqs, enableChunkedPrefill } = this.limits;
    let budget = maxNumBatchedTokens;
    const scheduled: Scheduled[] = [];
    let preempted = false;
    // 1. Running requests, oldest first.
    let i = 0;
    while (i < this.running.length && budget > 0) {
      const sequence = this.running[i];
      const tokens = Math.min(this.pendingTokens(sequence), budget);
      let fits = this.growTo(sequence, sequence.computed + tokens);
      while (!fits) {
        const victim = this.running.pop() as Sequence;
        this.preempt(victim);
        preempted = true;
        if (victim === sequence) break;
        fits = this.growTo(sequence, sequence.computed + tokens);
      }
      if (!fits) break;
      scheduled.push({ sequence, tokens });
      budget -= tokens;
      i += 1;
    }
    // 2. Waiting requests, FCFS, while seats and budget are left (none after a preemption).
    if (!preempted) {
      while (this.waiting.length > 0 && this.running.length < maxNumSeqs && budget > 0) {
        const sequence = this.waiting[0];
        const pending = this.pendingTokens(sequence);
        if (!enableChunkedPrefill && pending > budget) break;
        const tokens = Math.min(pending, budget);
        if (!this.growTo(sequence, tokens)) break;
        this.waiting.shift();
        sequence.state = 'running';
        this.running.push(sequence);
        scheduled.push({ sequence, tokens });
        budget -= tokens;
      }
    }
    this.maxRunning = Math.max(this.maxRunning, this.running.length);
    if (scheduled.length === 0) return;
    let decodes = 0;
    let kvRead = 0;
    let prefillTokens = 0;
    let attention = 0;
    for (const { sequence, tokens } of scheduled) {
      kvRead += sequence.computed;
      if (tokens === 1 && sequence.computed > 0) {
        decodes += 1;
      } else {
        prefillTokens += tokens;
        const end = sequence.computed + tokens;
        attention += end * end - sequence.computed * sequence.computed;
      }
    }
    this.step = { endMs: atMs + this.stepTimer.mixedStepMs(decodes, kvRead, prefillTokens, attention), scheduled };
  }

  private finishStep(step: Step, out: EngineEvent[]): void {
    const atMs = step.endMs;
    const finished = new Set<Sequence>();
    for (const { sequence, tokens } of step.scheduled) {
      // Cancelled, or preempted by a later step's scheduling (cannot happen within one step): skip.
      if (sequence.state !== 'running') continue;
      sequence.computed += tokens;
      if (this.pendingTokens(sequence) > 0) continue;
      sequence.generated += 1;
      if (sequence.firstTokenAtMs === undefined) sequence.firstTokenAtMs = atMs;
      this.emitToken(sequence, atMs, out);
      if (sequence.generated >= sequence.maxNewTokens) finished.add(sequence);
    }
    if (finished.size === 0) return;
    this.running = this.running.filter((s) => !finished.has(s));
    for (const sequence of finished) {
      this.releaseBlocks(sequence);
      this.complete(sequence, atMs, out);
    }
  }
}
