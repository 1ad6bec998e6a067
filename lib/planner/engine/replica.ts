import type { TgiSettings } from '../../catalog/types';
import type { StepTimeParams } from '../calibration/params';
import { createStepTimer, type ShardLayout, type StepTimer } from '../step-time';
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

interface Sequence {
  readonly id: string;
  readonly inputTokens: number;
  readonly maxNewTokens: number;
  readonly arrivalMs: number;
  /** KV tokens reserved in the batch budget from admission to the batch until done: input + max_new_tokens. */
  readonly reservedTokens: number;
  state: SequenceState;
  generated: number;
  firstTokenAtMs?: number;
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

export class Replica {
  private readonly arrivals: Sequence[] = [];
  private arrivalHead = 0;
  private readonly queue: Sequence[] = [];
  private queueHead = 0;
  private running: Sequence[] = [];
  private pass: Pass | undefined;
  private reservedTokens = 0;
  private kvTokens = 0;
  /** Requests the router holds: queued, being prefilled or running (MAX_CONCURRENT_REQUESTS counts these). */
  private accepted = 0;
  private readonly byId = new Map<string, Sequence>();
  private readonly stepTimer: StepTimer;
  /** Decode steps since the last prefill (TGI's `waiting_tokens`, reset to 1 by a prefill). */
  private waitingTokens = 0;

  constructor(private readonly options: ReplicaOptions) {
    this.stepTimer = createStepTimer(options.layout, options.stepTimeParams);
  }

  /** Accepted and not finished, plus arrivals not yet processed: what a least-outstanding router compares. */
  outstanding(): number {
    return this.accepted + (this.arrivals.length - this.arrivalHead);
  }

  inFlight(): number {
    return this.accepted;
  }

  /** Requests in the running batch (being decoded), for tests and diagnostics. */
  runningBatchSize(): number {
    return this.running.length;
  }

  submit(request: EngineRequest, atMs: number): void {
    const sequence: Sequence = {
      id: request.id,
      inputTokens: request.inputTokens,
      maxNewTokens: request.maxNewTokens,
      arrivalMs: atMs,
      reservedTokens: request.inputTokens + request.maxNewTokens,
      state: 'arriving',
      generated: 0,
    };
    // Arrivals almost always come in time order: insert from the back.
    let i = this.arrivals.length;
    while (i > this.arrivalHead && this.arrivals[i - 1].arrivalMs > atMs) i -= 1;
    this.arrivals.splice(i, 0, sequence);
    this.byId.set(request.id, sequence);
  }

  /** Drops a request wherever it is; frees its budget at once (the pass in progress still runs). */
  cancel(id: string): boolean {
    const sequence = this.byId.get(id);
    if (sequence === undefined) return false;
    this.byId.delete(id);
    if (sequence.state === 'prefill' || sequence.state === 'running') this.reservedTokens -= sequence.reservedTokens;
    if (sequence.state === 'running') {
      this.kvTokens -= sequence.inputTokens + sequence.generated;
      this.running = this.running.filter((s) => s !== sequence);
    }
    if (sequence.state !== 'arriving') this.accepted -= 1;
    sequence.state = 'gone';
    return true;
  }

  nextEventMs(): number | undefined {
    this.skipGoneArrivals();
    const arrival = this.arrivals[this.arrivalHead]?.arrivalMs;
    const passEnd = this.pass?.endMs;
    if (arrival === undefined) return passEnd;
    if (passEnd === undefined) return arrival;
    return Math.min(arrival, passEnd);
  }

  /** Processes the next internal event (a pass ending, or the arrivals at one instant), appending its events to `out`. */
  processNext(out: EngineEvent[]): void {
    this.skipGoneArrivals();
    const arrival = this.arrivals[this.arrivalHead];
    const pass = this.pass;
    if (pass !== undefined && (arrival === undefined || pass.endMs <= arrival.arrivalMs)) {
      this.pass = undefined;
      if (pass.kind === 'prefill') this.finishPrefill(pass, out);
      else this.finishDecode(pass.endMs, out);
      this.startNextPass(pass.endMs);
      return;
    }
    if (arrival === undefined) return;
    const atMs = arrival.arrivalMs;
    while (this.arrivalHead < this.arrivals.length && this.arrivals[this.arrivalHead].arrivalMs === atMs) {
      this.admit(this.arrivals[this.arrivalHead], out);
      this.arrivalHead += 1;
    }
    this.compactArrivals();
    if (this.pass === undefined) this.startNextPass(atMs);
  }

  private admit(sequence: Sequence, out: EngineEvent[]): void {
    if (sequence.state === 'gone') return;
    const refusal = this.refusal(sequence);
    if (refusal !== undefined) {
      this.byId.delete(sequence.id);
      sequence.state = 'gone';
      out.push({ type: 'rejected', id: sequence.id, atMs: sequence.arrivalMs, reason: refusal.reason, message: refusal.message });
      return;
    }
    sequence.state = 'queued';
    this.accepted += 1;
    this.queue.push(sequence);
  }

  private refusal(sequence: Sequence): { reason: 'overloaded' | 'too_long'; message: string } | undefined {
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
      if (this.options.emitTokenEvents) out.push({ type: 'token', id: sequence.id, index: 0, atMs: pass.endMs });
      if (sequence.generated >= sequence.maxNewTokens) this.finish(sequence, pass.endMs, out);
      else this.running.push(sequence);
    }
  }

  private finishDecode(atMs: number, out: EngineEvent[]): void {
    const emitTokens = this.options.emitTokenEvents;
    let kept = 0;
    for (const sequence of this.running) {
      if (sequence.state !== 'running') continue;
      sequence.generated += 1;
      this.kvTokens += 1;
      if (emitTokens) out.push({ type: 'token', id: sequence.id, index: sequence.generated - 1, atMs });
      if (sequence.generated >= sequence.maxNewTokens) this.finish(sequence, atMs, out);
      else this.running[kept++] = sequence;
    }
    this.running.length = kept;
  }

  private finish(sequence: Sequence, atMs: number, out: EngineEvent[]): void {
    this.reservedTokens -= sequence.reservedTokens;
    this.kvTokens -= sequence.inputTokens + sequence.generated;
    this.accepted -= 1;
    sequence.state = 'gone';
    this.byId.delete(sequence.id);
    out.push({
      type: 'done',
      id: sequence.id,
      atMs,
      inputTokens: sequence.inputTokens,
      generatedTokens: sequence.generated,
      firstTokenAtMs: sequence.firstTokenAtMs,
    });
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

  private skipGoneArrivals(): void {
    while (this.arrivalHead < this.arrivals.length && this.arrivals[this.arrivalHead].state === 'gone') this.arrivalHead += 1;
  }

  private compactArrivals(): void {
    if (this.arrivalHead > 1024 && this.arrivalHead * 2 > this.arrivals.length) {
      this.arrivals.splice(0, this.arrivalHead);
      this.arrivalHead = 0;
    }
  }

  private compactQueue(): void {
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }
}
