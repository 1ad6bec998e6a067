import { clientVerdict } from './client-verdict';
import { meetsSlo, type Slo } from './slo';
import { LatencySketch, type EncodedSketch } from './sketch';
import { forEachTokenGap } from './token-gaps';
import { LEVEL_RESULT_VERSION, type ErrorKind, type LevelResult, type OpenLoopLoad, type RequestRecord } from './records';

export interface LevelResultOptions {
  readonly concurrency: number;
  /**
   * Time compression of a local endpoint: every measured duration is multiplied by it (and rates
   * divided by it), so figures read as if the endpoint ran in real time. Client measures (send lag,
   * event-loop delay, CPU) stay in wall time. @default 1
   */
  readonly speedup?: number;
  /**
   * Length of the measured window, ms (before `speedup`), when the client defines it itself (the
   * simulated closed loop). @default from the earliest send to the latest end of the measured records
   */
  readonly windowMs?: number;
  /** Open loop: the offered rate (endpoint time) and how the load was generated. */
  readonly offeredRatePerS?: number;
  readonly openLoop?: Omit<OpenLoopLoad, 'waitedForCap'>;
  /** The client's own measures over the level; with them the level gets its `client` verdict. */
  readonly client?: { readonly eventLoopDelayMsP99: number; readonly cpuPct: number };
}

/** The sketches of a level, by measure. */
const SKETCHES = ['msPerToken', 'e2e', 'ttft', 'itlGaps', 'tpot', 'clientQueue', 'sendLag'] as const;
type SketchName = (typeof SKETCHES)[number];

/** The counters of a level, each a sum of integers (exact in any order). */
const COUNTERS = ['requests', 'ok', 'retries', 'outputTokens', 'good', 'goodTokens', 'waitedForCap', 'endedEarly'] as const;
type CounterName = (typeof COUNTERS)[number];

/** Version of {@link EncodedLevelAccumulator}. */
export const ENCODED_LEVEL_ACCUMULATOR_VERSION = 1;

/** A LevelAccumulator as JSON, to merge the accumulators of a level's processes in one. */
export interface EncodedLevelAccumulator {
  readonly version: typeof ENCODED_LEVEL_ACCUMULATOR_VERSION;
  readonly speedup: number;
  readonly slo?: Slo;
  readonly counters: Readonly<Record<CounterName, number>>;
  readonly errors: Partial<Record<ErrorKind, number>>;
  /** Epoch ms (clockOriginMs + t) of the first and last measured send and the last measured end; null when no request was measured. */
  readonly firstSendEpochMs: number | null;
  readonly lastSendEpochMs: number | null;
  readonly lastEndEpochMs: number | null;
  /** First send and last end of every record, warm-up included (the level's cost); null without records. */
  readonly levelStartEpochMs: number | null;
  readonly levelEndEpochMs: number | null;
  /** Connection slots that sent a measured request, as `clockOriginMs/worker` (one clock per process). */
  readonly slots: readonly string[];
  readonly sketches: Readonly<Record<SketchName, EncodedSketch>>;
}

/**
 * The statistics of one level accumulated record by record in constant memory (counts, sums and
 * {@link LatencySketch}es; no record is kept), mergeable across workers and processes. The SLOs
 * are fixed when it is created: each request is judged as it is added.
 */
export class LevelAccumulator {
  private requests = 0;
  private ok = 0;
  private readonly errors: Partial<Record<ErrorKind, number>> = {};
  private retries = 0;
  private outputTokens = 0;
  private good = 0;
  private goodTokens = 0;
  private waitedForCap = 0;
  private endedEarly = 0;
  private firstSendEpochMs = Infinity;
  private lastSendEpochMs = -Infinity;
  private lastEndEpochMs = -Infinity;
  /** First send and last end of every record, warm-up included: what the level cost on the endpoint. */
  private levelStartEpochMs = Infinity;
  private levelEndEpochMs = -Infinity;
  private readonly slots = new Set<string>();
  private readonly msPerToken = new LatencySketch();
  private readonly e2e = new LatencySketch();
  private readonly ttft = new LatencySketch();
  private readonly itlGaps = new LatencySketch();
  private readonly tpot = new LatencySketch();
  private readonly clientQueue = new LatencySketch();
  private readonly sendLag = new LatencySketch();

  constructor(
    private readonly speedup = 1,
    private readonly slo?: Slo,
  ) {}

  /** Adds one record; warm-up records only count toward `levelSeconds`. */
  add(r: RequestRecord): void {
    this.levelStartEpochMs = Math.min(this.levelStartEpochMs, r.clockOriginMs + r.sentMs);
    this.levelEndEpochMs = Math.max(this.levelEndEpochMs, r.clockOriginMs + r.endMs);
    if (r.warmup === true) return;
    const s = this.speedup;
    this.requests += 1;
    this.retries += r.retries ?? 0;
    const sent = r.clockOriginMs + r.sentMs;
    if (sent < this.firstSendEpochMs) this.firstSendEpochMs = sent;
    if (sent > this.lastSendEpochMs) this.lastSendEpochMs = sent;
    const end = r.clockOriginMs + r.endMs;
    if (end > this.lastEndEpochMs) this.lastEndEpochMs = end;
    this.slots.add(`${r.clockOriginMs}/${r.worker}`);
    const queued = r.sentMs - r.scheduledMs;
    this.clientQueue.add(queued * s);
    this.sendLag.add(queued - (r.capWaitMs ?? 0));
    if (r.capWaitMs !== undefined && r.capWaitMs > 0) this.waitedForCap += 1;
    if (r.error !== undefined) {
      this.errors[r.error] = (this.errors[r.error] ?? 0) + 1;
      return;
    }
    this.ok += 1;
    this.outputTokens += r.outputTokens;
    if (r.shortOutput === true) this.endedEarly += 1;
    const e2e = (r.endMs - r.sentMs) * s;
    this.e2e.add(e2e);
    const msPerToken = r.outputTokens > 0 ? e2e / r.outputTokens : undefined;
    if (msPerToken !== undefined) this.msPerToken.add(msPerToken);
    let ttft: number | undefined;
    let tpot: number | undefined;
    if (r.firstTokenMs !== undefined) {
      ttft = (r.firstTokenMs - r.sentMs) * s;
      this.ttft.add(ttft);
      if (r.outputTokens > 1) {
        tpot = (e2e - ttft) / (r.outputTokens - 1);
        this.tpot.add(tpot);
      }
      forEachTokenGap(r, (gap) => this.itlGaps.add(gap * s));
    }
    if (this.slo !== undefined && meetsSlo({ ok: true, ttftMs: ttft, tpotMs: tpot, e2eMs: e2e, msPerToken }, this.slo)) {
      this.good += 1;
      this.goodTokens += r.outputTokens;
    }
  }

  /** Adds every request of `other` (accumulated with the same speedup and SLOs). */
  merge(other: LevelAccumulator): void {
    this.requests += other.requests;
    this.ok += other.ok;
    for (const [kind, n] of Object.entries(other.errors) as [ErrorKind, number][]) this.errors[kind] = (this.errors[kind] ?? 0) + n;
    this.retries += other.retries;
    this.outputTokens += other.outputTokens;
    this.good += other.good;
    this.goodTokens += other.goodTokens;
    this.waitedForCap += other.waitedForCap;
    this.endedEarly += other.endedEarly;
    this.firstSendEpochMs = Math.min(this.firstSendEpochMs, other.firstSendEpochMs);
    this.lastSendEpochMs = Math.max(this.lastSendEpochMs, other.lastSendEpochMs);
    this.lastEndEpochMs = Math.max(this.lastEndEpochMs, other.lastEndEpochMs);
    this.levelStartEpochMs = Math.min(this.levelStartEpochMs, other.levelStartEpochMs);
    this.levelEndEpochMs = Math.max(this.levelEndEpochMs, other.levelEndEpochMs);
    for (const slot of other.slots) this.slots.add(slot);
    this.msPerToken.merge(other.msPerToken);
    this.e2e.merge(other.e2e);
    this.ttft.merge(other.ttft);
    this.itlGaps.merge(other.itlGaps);
    this.tpot.merge(other.tpot);
    this.clientQueue.merge(other.clientQueue);
    this.sendLag.merge(other.sendLag);
  }

  /**
   * First and last measured send (epoch ms on the records' clocks) and the connection slots that sent
   * measured requests: the steady window of a closed-loop level (see SteadyTokens); undefined before
   * a measured request.
   */
  sends(): { readonly firstMs: number; readonly lastMs: number; readonly slots: number } | undefined {
    return this.requests > 0 ? { firstMs: this.firstSendEpochMs, lastMs: this.lastSendEpochMs, slots: this.slots.size } : undefined;
  }

  /** Earliest measured send to latest measured end, epoch ms (the level's window for server telemetry); undefined before a measured request. */
  measuredWindow(): { readonly startMs: number; readonly endMs: number } | undefined {
    return this.requests > 0 ? { startMs: this.firstSendEpochMs, endMs: this.lastEndEpochMs } : undefined;
  }

  /** The accumulator as JSON (see {@link LevelAccumulator.decode}). */
  encode(): EncodedLevelAccumulator {
    const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
    const counters = {} as Record<CounterName, number>;
    for (const name of COUNTERS) counters[name] = this[name];
    const sketches = {} as Record<SketchName, EncodedSketch>;
    for (const name of SKETCHES) sketches[name] = this[name].encode();
    return {
      version: ENCODED_LEVEL_ACCUMULATOR_VERSION,
      speedup: this.speedup,
      ...(this.slo !== undefined ? { slo: this.slo } : {}),
      counters,
      errors: { ...this.errors },
      firstSendEpochMs: finite(this.firstSendEpochMs),
      lastSendEpochMs: finite(this.lastSendEpochMs),
      lastEndEpochMs: finite(this.lastEndEpochMs),
      levelStartEpochMs: finite(this.levelStartEpochMs),
      levelEndEpochMs: finite(this.levelEndEpochMs),
      slots: [...this.slots],
      sketches,
    };
  }

  /** An accumulator back from its JSON; an unknown version is an error naming it. */
  static decode(encoded: EncodedLevelAccumulator): LevelAccumulator {
    if (encoded.version !== ENCODED_LEVEL_ACCUMULATOR_VERSION) {
      throw new Error(`level accumulator version ${String(encoded.version)} is not ${ENCODED_LEVEL_ACCUMULATOR_VERSION} (processes of one run must run the same code)`);
    }
    const acc = new LevelAccumulator(encoded.speedup, encoded.slo);
    for (const name of COUNTERS) acc[name] = encoded.counters[name];
    Object.assign(acc.errors, encoded.errors);
    acc.firstSendEpochMs = encoded.firstSendEpochMs ?? Infinity;
    acc.lastSendEpochMs = encoded.lastSendEpochMs ?? -Infinity;
    acc.lastEndEpochMs = encoded.lastEndEpochMs ?? -Infinity;
    acc.levelStartEpochMs = encoded.levelStartEpochMs ?? Infinity;
    acc.levelEndEpochMs = encoded.levelEndEpochMs ?? -Infinity;
    for (const slot of encoded.slots) acc.slots.add(slot);
    for (const name of SKETCHES) acc[name].merge(LatencySketch.decode(encoded.sketches[name]));
    return acc;
  }

  /** p99 of the client's send lag (sent − intended − cap wait), wall ms. */
  sendLagMsP99(): number {
    return this.sendLag.distribution().p99;
  }

  /** The level's LevelResult. */
  result(opts: LevelResultOptions): LevelResult {
    const s = this.speedup;
    const measuredWindow = this.requests > 0 ? Math.max(0, this.lastEndEpochMs - this.firstSendEpochMs) : 0;
    const durationS = ((opts.windowMs ?? measuredWindow) * s) / 1000;
    const perSecond = (count: number): number => (durationS > 0 ? count / durationS : 0);
    const sendSpanS = this.requests > 1 ? ((this.lastSendEpochMs - this.firstSendEpochMs) * s) / 1000 : 0;
    const achievedRatePerS = sendSpanS > 0 ? (this.requests - 1) / sendSpanS : 0;
    const optional = <K extends string>(key: K, sketch: LatencySketch): Partial<Record<K, ReturnType<LatencySketch['distribution']>>> =>
      sketch.count > 0 ? ({ [key]: sketch.distribution() } as Record<K, ReturnType<LatencySketch['distribution']>>) : {};
    return {
      schemaVersion: LEVEL_RESULT_VERSION,
      concurrency: opts.concurrency,
      ...(opts.offeredRatePerS !== undefined ? { offeredRatePerS: opts.offeredRatePerS } : {}),
      achievedRatePerS,
      ...(opts.openLoop !== undefined ? { openLoop: { ...opts.openLoop, waitedForCap: this.waitedForCap } } : {}),
      requests: this.requests,
      ok: this.ok,
      errors: { ...this.errors },
      retries: this.retries,
      durationS,
      requestsPerS: perSecond(this.requests),
      outputTokens: this.outputTokens,
      throughputTokensPerS: perSecond(this.outputTokens),
      latencyMsPerToken: this.msPerToken.distribution(),
      e2eMs: this.e2e.distribution(),
      ...optional('ttftMs', this.ttft),
      ...optional('itlMs', this.itlGaps),
      ...optional('tpotMs', this.tpot),
      ...optional('clientQueueMs', this.clientQueue),
      timeouts: this.errors.timeout ?? 0,
      ...(this.endedEarly > 0 ? { endedEarly: this.endedEarly } : {}),
      levelSeconds: this.levelEndEpochMs > this.levelStartEpochMs ? ((this.levelEndEpochMs - this.levelStartEpochMs) * s) / 1000 : 0,
      ...(this.slo !== undefined
        ? {
            slo: this.slo,
            goodput: {
              requestsPerS: perSecond(this.good),
              tokensPerS: perSecond(this.goodTokens),
              attainment: this.requests > 0 ? this.good / this.requests : 0,
            },
          }
        : {}),
      ...(opts.client !== undefined ? { client: clientVerdict({ sendLagMsP99: this.sendLagMsP99(), ...opts.client }) } : {}),
    };
  }
}
