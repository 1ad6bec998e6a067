import { UserInputError } from '../../errors';
import { defaultStepTimeParams } from '../calibration/params';
import { resolveLmiSettings } from '../deployment-shape/lmi-settings';
import { effectiveBatchTotalTokens } from '../deployment-shape/tgi-settings';
import { mulberry32 } from './prng';
import { Replica } from './replica';
import type { EndpointEngineConfig, EngineEvent, EngineRequest, ReplicaModel, ServingEngine } from './types';
import { VllmReplica } from './vllm-replica';

/**
 * An endpoint of instances × copies replicas behind a router, advanced in virtual time: TGI replicas
 * (`replica.ts`) or, for an LMI deployment, vLLM replicas (`vllm-replica.ts`).
 * Events of all replicas are processed in exact time order (earliest replica event first).
 */

function validate(cfg: EndpointEngineConfig): void {
  const whole = (field: string, value: number): void => {
    if (!Number.isInteger(value) || value < 1) throw new UserInputError(field, `must be a whole number ≥ 1, got ${value}`);
  };
  whole('tp', cfg.tp);
  whole('copies', cfg.copies);
  whole('instances', cfg.instances);
  if (cfg.engine !== undefined && cfg.engine !== 'tgi' && cfg.engine !== 'lmi') {
    throw new UserInputError('engine', `'${String(cfg.engine)}' is not an engine; allowed: tgi, lmi`);
  }
  const gpus = cfg.instance.acceleratorCount;
  if (cfg.copies * cfg.tp > gpus) {
    throw new UserInputError('copies', `copies × tp = ${cfg.copies} × ${cfg.tp} exceeds the ${gpus} GPUs of ${cfg.instance.name}`);
  }
}

/** Builds one replica of the configured engine (same layout and step-time physics for both). */
function replicaFactory(cfg: EndpointEngineConfig): () => ReplicaModel {
  const layout = { model: cfg.model, instance: cfg.instance, tp: cfg.tp };
  const stepTimeParams = cfg.stepTimeParams ?? defaultStepTimeParams();
  const emitTokenEvents = cfg.emitTokenEvents ?? false;
  if (cfg.engine === 'lmi') {
    const lmi = cfg.lmi ?? resolveLmiSettings(cfg.model, cfg.instance);
    return () => new VllmReplica({ layout, lmi, stepTimeParams, emitTokenEvents });
  }
  const batchTokenBudget = effectiveBatchTotalTokens(cfg.model, cfg.instance, cfg.tp, cfg.tgi);
  return () => new Replica({ layout, tgi: cfg.tgi, batchTokenBudget, stepTimeParams, emitTokenEvents });
}

class RoutedEndpoint implements ServingEngine {
  private now = 0;
  private readonly replicas: ReplicaModel[];
  private readonly replicaOf = new Map<string, ReplicaModel>();
  private readonly random: () => number;
  private nextTieBreak = 0;

  constructor(private readonly cfg: EndpointEngineConfig) {
    validate(cfg);
    this.replicas = Array.from({ length: cfg.copies * cfg.instances }, replicaFactory(cfg));
    this.random = mulberry32(cfg.seed ?? 1);
  }

  get nowMs(): number {
    return this.now;
  }

  submit(request: EngineRequest, atMs: number): void {
    if (atMs < this.now) throw new RangeError(`submit at ${atMs} ms is before the engine's time ${this.now} ms`);
    const replica = this.route();
    this.replicaOf.set(request.id, replica);
    replica.submit(request, atMs);
  }

  /** Applies at once; callers advance to `atMs` first so no event before it is lost. */
  cancel(id: string, _atMs: number): void {
    this.replicaOf.get(id)?.cancel(id);
    this.replicaOf.delete(id);
  }

  advanceTo(atMs: number): EngineEvent[] {
    const out: EngineEvent[] = [];
    for (;;) {
      let earliest: ReplicaModel | undefined;
      let earliestMs = Infinity;
      for (const replica of this.replicas) {
        const next = replica.nextEventMs();
        if (next !== undefined && next <= atMs && next < earliestMs) {
          earliest = replica;
          earliestMs = next;
        }
      }
      if (earliest === undefined) break;
      const before = out.length;
      earliest.processNext(out);
      for (let i = before; i < out.length; i += 1) {
        const event = out[i];
        if (event.type !== 'token') this.replicaOf.delete(event.id);
      }
    }
    this.now = Math.max(this.now, atMs);
    return out;
  }

  nextEventMs(): number | undefined {
    let earliest: number | undefined;
    for (const replica of this.replicas) {
      const next = replica.nextEventMs();
      if (next !== undefined && (earliest === undefined || next < earliest)) earliest = next;
    }
    return earliest;
  }

  inFlight(): number {
    let total = 0;
    for (const replica of this.replicas) total += replica.inFlight();
    return total;
  }

  /** Requests in flight on each replica, in replica order (instance-major), for tests and diagnostics. */
  inFlightByReplica(): number[] {
    return this.replicas.map((r) => r.inFlight());
  }

  /** Running batch size of each replica. */
  runningBatchByReplica(): number[] {
    return this.replicas.map((r) => r.runningBatchSize());
  }

  private route(): ReplicaModel {
    const n = this.replicas.length;
    if (n === 1) return this.replicas[0];
    if (this.cfg.router === 'random') return this.replicas[Math.floor(this.random() * n)];
    // Least outstanding requests; ties go round-robin so equal replicas share the load evenly.
    let best = this.replicas[this.nextTieBreak % n];
    let bestIndex = this.nextTieBreak % n;
    for (let k = 1; k < n; k += 1) {
      const index = (this.nextTieBreak + k) % n;
      const candidate = this.replicas[index];
      if (candidate.outstanding() < best.outstanding()) {
        best = candidate;
        bestIndex = index;
      }
    }
    this.nextTieBreak = bestIndex + 1;
    return best;
  }
}

export type EndpointEngine = ServingEngine & {
  inFlightByReplica(): number[];
  runningBatchByReplica(): number[];
};

/** Builds the engine of an endpoint (one model; instances × copies replicas). */
export function createEndpointEngine(cfg: EndpointEngineConfig): EndpointEngine {
  return new RoutedEndpoint(cfg);
}
