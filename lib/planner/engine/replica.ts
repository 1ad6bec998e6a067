import type { TgiSettings } from '../../catalog/types';
import type { StepTimeParams } from '../calibration/params';
import { createStepTimer, type ShardLayout, type StepTimer } from '../step-time';
import { ReplicaBase, type Refusal, type TrackedSequence } from './replica-base';
import type { EngineEvent, EngineRequest } from './types';

/**
 * One TGI replica with continuous batching, as a discrete-event model in virtual time (ms):
 * requests arrive, are refused (too long; MAX_CONCURRENT_REQUESTS reached → overloaded) or queue;
 * queued requests whose input + max_new_tokens fit the batch token budget are prefilled together
 * (up to MAX_BATCH_PREFILL_TOKENS per pass; the pass pauses decoding and yields each one's first
 * token); then decode steps give every running request one token per step until it is done.
 * One pass runs at a time; passes never overlap.
 *
 * While a batch is running, TGI's router does not prefill every new arrival at once: it adds a new
 * batch only when at least floor(running × waiting_served_ratio) queued requests fit it, or when
 * max_waiting_tokens decode steps have passed since the last prefill (router/src/infer.rs,
 * `batching_task`, TGI v1.x–v2.x). With an empty batch it prefills whatever is queued.
 */

/**
 * TGI router scheduling defaults of the TGI versions JumpStart served the study's models with
 * (huggingface/text-generation-inference docs/source/basic_tutorials/launcher.md, v1.x:
 * `--waiting-served-ratio` default 1.2, `--max-waiting-tokens` default 20). Later versions lowered
 * the ratio to 0.3; JumpStart does not set either.
 */
export const TGI_ROUTER_DEFAULTS = { waitingServedRatio: 1.2, maxWaitingTokens: 20 } as const;

type SequenceState = 'arriving' | 'queued' | 'prefill' | 'running' | 'gone';

interface Sequence extends TrackedSequence {
  /** KV tokens reserved in the batch budget from admission to the batch until done: input + max_new_tokens. */
  readonly reservedTokens: number;
  state: SequenceState;
}

interface Pass {
  readonly kind: 'prefill' | 'decode';
  readonly endMs: number;
  /** Sequences being prefilled (prefill passes only). */
  readonly sequences: Sequence[];
}

export interface ReplicaOptions {
  readonly layout: ShardLayout;
  readonly tgi: TgiSettings;
  /** Tokens of KV cache the running batch may reserve (MAX_BATCH_TOTAL_TOKENS or the memory model's capacity). */
  readonly batchTokenBudget: number;
  readonly stepTimeParams: StepTimeParams;
  readonly emitTokenEvents: boolean;
  /** TGI `--waiting-served-ratio`. @default TGI_ROUTER_DEFAULTS.waitingServedRatio */
  readonly waitingServedRatio?: number;
  /** TGI `--max-waiting-tokens`. @default TGI_ROUTER_DEFAULTS.maxWaitingTokens */
  readonly maxWaitingTokens?: number;
}

export class Replica extends ReplicaBase<Sequence> {
  private readonly queue: Sequence[] = [];
  private queueHead = 0;
  private pass: Pass | undefined;
  private reservedTokens = 0;
  private kvTokens = 0;
  private readonly stepTimer: StepTimer;
  /** Decode steps since the last prefill (TGI's `waiting_tokens`, reset to 1 by a prefill). */
  private waitingTokens = 0;

  constructor(private readonly options: ReplicaOptions) {
    super(options.emitTokenEvents);
    this.stepTimer = createStepTimer(options.layout, options.stepTimeParams);
  }

  protected newSequence(request: EngineRequest, atMs: number): Sequence {
    return {
      id: request.id,
      inputTokens: request.inputTokens,
      maxNewTokens: request.maxNewTokens,
      arrivalMs: atMs,
      reservedTokens: request.inputTokens + request.maxNewTokens,
      state: 'arriving',
      generated: 0,
    };
  }

  /** A cancelled request frees its budget at once (the pass in progress still runs). */
  protected dropped(sequence: Sequence): void {
    if (sequence.state === 'prefill' || sequence.state === 'running') this.reservedTokens -= sequence.reservedTokens;
    if (sequence.state === 'running') {
      this.kvTokens -= sequence.inputTokens + sequence.generated;
      this.running = this.running.filter((s) => s !== sequence);
    }
  }

  protected workEndMs(): number | undefined {
    return this.pass?.endMs;
  }

  protected finishWork(out: EngineEvent[]): void {
    const pass = this.pass as Pass;
    this.pass = undefined;
    if (pass.kind === 'prefill') this.finishPrefill(pass, out);
    else this.finishDecode(pass.endMs, out);
  }

  protected startWork(atMs: number): void {
    this.startNextPass(atMs);
  }

  protected enqueue(sequence: Sequence): void {
    sequence.state = 'queued';
    this.queue.push(sequence);
  }

  protected refusal(sequence: Sequence): Refusal | undefined {
    const { tgi, batchTokenBudget } = this.options;
    if (sequence.inputTokens > tgi.maxInputTokens) {
      const message = `Input validation error: \`inputs\` must have less than ${tgi.maxInputTokens} tokens. Given: ${sequence.inputTokens}`;
      return { reason: 'too_long', message };
    }
    if (sequence.reservedTokens > tgi.maxTotalTokens || sequence.reservedTokens > batchTokenBudget) {
      const limit = Math.min(tgi.maxTotalTokens, batchTokenBudget);
      const message = `Input validation error: \`inputs\` tokens + \`max_new_tokens\` must be <= ${limit}. Given: ${sequence.inputTokens} \`inputs\` tokens and ${sequence.maxNewTokens} \`max_new_tokens\``;
      return { reason: 'too_long', message };
    }
    if (this.accepted >= tgi.maxConcurrentRequests) return { reason: 'overloaded', message: 'Model is overloaded' };
    return undefined;
  }

  private finishPrefill(pass: Pass, out: EngineEvent[]): void {
    for (const sequence of pass.sequences) {
      if (sequence.state !== 'prefill') continue;
      sequence.generated = 1;
      sequence.firstTokenAtMs = pass.endMs;
      this.kvTokens += sequence.inputTokens + 1;
      sequence.state = 'running';
      this.emitToken(sequence, pass.endMs, out);
      if (sequence.generated >= sequence.maxNewTokens) this.finish(sequence, pass.endMs, out);
      else this.running.push(sequence);
    }
  }

  private finishDecode(atMs: number, out: EngineEvent[]): void {
    let kept = 0;
    for (const sequence of this.running) {
      if (sequence.state !== 'running') continue;
      sequence.generated += 1;
      this.kvTokens += 1;
      this.emitToken(sequence, atMs, out);
      if (sequence.generated >= sequence.maxNewTokens) this.finish(sequence, atMs, out);
      else this.running[kept++] = sequence;
    }
    this.running.length = kept;
  }

  private finish(sequence: Sequence, atMs: number, out: EngineEvent[]): void {
    this.reservedTokens -= sequence.reservedTokens;
    this.kvTokens -= sequence.inputTokens + sequence.generated;
    this.complete(sequence, atMs, out);
  }

  /** Prefill whatever queued requests fit (in arrival order), else decode the running batch, else idle. */
  private startNextPass(atMs: number): void {
    const { tgi, batchTokenBudget } = this.options;
    const admitted: Sequence[] = [];
    let promptTokens = 0;
    let squaredPromptTokens = 0;
    const running = this.running.length;
    const maxWaitingTokens = this.options.maxWaitingTokens ?? TGI_ROUTER_DEFAULTS.maxWaitingTokens;
    // With a running batch, a new batch must reach min_size requests unless the wait is exceeded.
    const minSize =
      running === 0 || this.waitingTokens >= maxWaitingTokens
        ? 1
        : Math.max(1, Math.floor(running * (this.options.waitingServedRatio ?? TGI_ROUTER_DEFAULTS.waitingServedRatio)));
    if (minSize > 1 && this.queuedCount() < minSize) {
      this.startDecode(atMs);
      return;
    }
    let budget = this.reservedTokens;
    let candidates = 0;
    let candidateTokens = 0;
    for (let i = this.queueHead; i < this.queue.length && candidates < minSize; i += 1) {
      const next = this.queue[i];
      if (next.state !== 'queued') continue;
      if (budget + next.reservedTokens > batchTokenBudget) break;
      if (candidates > 0 && candidateTokens + next.inputTokens > tgi.maxBatchPrefillTokens) break;
      budget += next.reservedTokens;
      candidateTokens += next.inputTokens;
      candidates += 1;
    }
    if (candidates < minSize) {
      this.startDecode(atMs);
      return;
    }
    while (this.queueHead < this.queue.length) {
      const next = this.queue[this.queueHead];
      if (next.state !== 'queued') {
        this.queueHead += 1;
        continue;
      }
      if (this.reservedTokens + next.reservedTokens > batchTokenBudget) break;
      if (admitted.length > 0 && promptTokens + next.inputTokens > tgi.maxBatchPrefillTokens) break;
      this.queueHead += 1;
      next.state = 'prefill';
      this.reservedTokens += next.reservedTokens;
      promptTokens += next.inputTokens;
      squaredPromptTokens += next.inputTokens * next.inputTokens;
      admitted.push(next);
    }
    this.compactQueue();
    if (admitted.length > 0) {
      const durationMs = this.stepTimer.prefillPassMs(promptTokens, squaredPromptTokens);
      this.pass = { kind: 'prefill', endMs: atMs + durationMs, sequences: admitted };
      this.waitingTokens = 1;
    } else {
      this.startDecode(atMs);
    }
  }

  private startDecode(atMs: number): void {
    if (this.running.length === 0) return;
    const durationMs = this.stepTimer.decodeStepMs(this.running.length, this.kvTokens);
    this.pass = { kind: 'decode', endMs: atMs + durationMs, sequences: [] };
    this.waitingTokens += 1;
  }

  /** Requests waiting in the queue (not yet admitted to a prefill). */
  private queuedCount(): number {
    let count = 0;
    for (let i = this.queueHead; i < this.queue.length; i += 1) if (this.queue[i].state === 'queued') count += 1;
    return count;
  }

  private compactQueue(): void {
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }
}
