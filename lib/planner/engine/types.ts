/**
 * Contract of the serving engine: a discrete-event model of TGI or LMI (vLLM) replicas behind a router,
 * advanced in virtual time (ms). The planner's closed-loop simulation and the local endpoint's
 * real-time server both drive it through this interface.
 */
import type { InstanceTypeSpec, LmiSettings, ModelSpec, ServingEngine as ServingEngineName, TgiSettings } from '../../catalog/types';
import type { StepTimeParams } from '../calibration/params';

export interface EngineRequest {
  /** Caller's id, unique among requests in flight. */
  readonly id: string;
  readonly inputTokens: number;
  readonly maxNewTokens: number;
  /** Inference component the request is addressed to, when the endpoint has several. */
  readonly component?: string;
}

export type EngineEvent =
  /** One output token of a request (index 0 = first token). */
  | { readonly type: 'token'; readonly id: string; readonly index: number; readonly atMs: number }
  /** Request finished: all tokens generated. */
  | {
      readonly type: 'done';
      readonly id: string;
      readonly atMs: number;
      readonly inputTokens: number;
      readonly generatedTokens: number;
      /** When the first token was produced (end of the request's prefill pass). */
      readonly firstTokenAtMs?: number;
    }
  /** Request refused or abandoned by the engine. */
  | {
      readonly type: 'rejected';
      readonly id: string;
      readonly atMs: number;
      /** overloaded: MAX_CONCURRENT_REQUESTS reached (HTTP 429); too_long: input/total beyond the limits (HTTP 422). */
      readonly reason: 'overloaded' | 'too_long';
      readonly message: string;
    };

export interface ServingEngine {
  /** Virtual time of the last processed event, ms. */
  readonly nowMs: number;
  /** Adds a request arriving at `atMs` (≥ nowMs). Rejections are reported by the next `advanceTo`. */
  submit(request: EngineRequest, atMs: number): void;
  /** Drops a request (client gave up); frees its batch slot and KV. */
  cancel(id: string, atMs: number): void;
  /** Processes every internal event up to and including `atMs`; returns the events emitted, in time order. */
  advanceTo(atMs: number): EngineEvent[];
  /** Time of the next internal event, or undefined when idle. */
  nextEventMs(): number | undefined;
  /** Requests accepted and not finished. */
  inFlight(): number;
}

export type RouterPolicy = 'least-outstanding' | 'random';

/** The serving container whose scheduler a replica models: TGI's router, or vLLM's behind LMI (the catalog's engine names). */
export type EngineKind = ServingEngineName;

/** One replica (model copy) as the router sees it; TGI's and vLLM's schedulers both implement it. */
export interface ReplicaModel {
  /** Accepted and not finished, plus arrivals not yet processed: what a least-outstanding router compares. */
  outstanding(): number;
  inFlight(): number;
  /** Requests in the running batch. */
  runningBatchSize(): number;
  submit(request: EngineRequest, atMs: number): void;
  cancel(id: string): boolean;
  nextEventMs(): number | undefined;
  /** Processes the next internal event, appending its events to `out`. */
  processNext(out: EngineEvent[]): void;
}

/** An endpoint of `instances` × `copies` identical replicas (TGI or LMI) of one model, each sharded over `tp` GPUs. */
export interface EndpointEngineConfig {
  readonly model: ModelSpec;
  readonly instance: InstanceTypeSpec;
  readonly tp: number;
  /** Model copies (inference components) per instance; copies × tp ≤ GPUs of the instance. */
  readonly copies: number;
  readonly instances: number;
  /** TGI settings; for an LMI deployment its request limits in TGI's terms (what the protocol front ends check). */
  readonly tgi: TgiSettings;
  /** Whose scheduler the replicas model. @default 'tgi' */
  readonly engine?: EngineKind;
  /** LMI settings of an LMI deployment. @default resolveLmiSettings(model, instance) when engine is 'lmi' */
  readonly lmi?: LmiSettings;
  /**
   * How requests are spread over replicas.
   * @default 'least-outstanding'
   */
  readonly router?: RouterPolicy;
  /** Seed of the random router. @default 1 */
  readonly seed?: number;
  /**
   * SageMaker's invocation deadline, ms. Informational: the engine never cuts a request itself;
   * callers (predict, the local endpoint) apply the deadline and call `cancel()`.
   * @default 60000
   */
  readonly invocationTimeoutMs?: number;
  /**
   * Emit a `token` event per generated token (the streaming local endpoint needs them). Off, only
   * `done` and `rejected` events are emitted, which keeps large closed-loop simulations fast.
   * @default false
   */
  readonly emitTokenEvents?: boolean;
  /** Step-time parameters. @default the calibrated ones (lib/planner/calibration/params.json) */
  readonly stepTimeParams?: StepTimeParams;
}
