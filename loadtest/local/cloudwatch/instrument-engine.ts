import type { EngineEvent, EngineRequest, ServingEngine } from '../../../lib/planner/engine/types';
import { ReplicaRecord } from './serving-record';

/** Engines that report each replica's requests in flight (the planner's routed endpoint does). */
interface PerReplica {
  inFlightByReplica(): number[];
}

function hasPerReplica(engine: ServingEngine): engine is ServingEngine & PerReplica {
  return typeof (engine as Partial<PerReplica>).inFlightByReplica === 'function';
}

export interface InstrumentOptions {
  /** Replicas of the engine (instances × copies per instance), instance-major. */
  readonly replicas: number;
  readonly copiesPerInstance: number;
  readonly gpusPerReplica: number;
  /** Epoch ms (virtual) of the engine's time 0. */
  readonly epochOfEngineZeroMs: number;
  /** Instance of replica i. @default i ÷ copiesPerInstance, rounded down */
  readonly instanceOf?: (replica: number) => number;
}

/**
 * Wraps a serving engine so every change of a replica's requests in flight is recorded (in the
 * control plane's virtual epoch time). Behaviour is unchanged: every call is passed through.
 * Engines without per-replica counts are recorded as if their requests spread evenly over the
 * replicas (min(inFlight, replicas) busy), which is what least-outstanding routing tends to.
 */
export function instrumentEngine(engine: ServingEngine, options: InstrumentOptions): { engine: ServingEngine; replicas: readonly ReplicaRecord[] } {
  const replicas = Array.from({ length: options.replicas }, (_, i) => new ReplicaRecord({ instance: options.instanceOf?.(i) ?? Math.floor(i / options.copiesPerInstance), gpus: options.gpusPerReplica }));
  const observe = (engineMs: number): void => {
    const atMs = options.epochOfEngineZeroMs + engineMs;
    if (hasPerReplica(engine)) {
      engine.inFlightByReplica().forEach((n, i) => replicas[i]?.observe(atMs, n));
      return;
    }
    const total = engine.inFlight();
    const base = Math.floor(total / replicas.length);
    const extra = total % replicas.length;
    replicas.forEach((replica, i) => replica.observe(atMs, base + (i < extra ? 1 : 0)));
  };
  const wrapped: ServingEngine = {
    get nowMs(): number {
      return engine.nowMs;
    },
    submit(request: EngineRequest, atMs: number): void {
      engine.submit(request, atMs);
      observe(atMs);
    },
    cancel(id: string, atMs: number): void {
      engine.cancel(id, atMs);
      observe(atMs);
    },
    advanceTo(atMs: number): EngineEvent[] {
      const events = engine.advanceTo(atMs);
      // Replicas change at their events; the last one of a coalesced batch is the closest instant known.
      const lastFinish = events.reduce((latest, e) => (e.type === 'token' ? latest : Math.max(latest, e.atMs)), -Infinity);
      observe(Number.isFinite(lastFinish) ? lastFinish : atMs);
      return events;
    },
    nextEventMs: () => engine.nextEventMs(),
    inFlight: () => engine.inFlight(),
  };
  return { engine: wrapped, replicas };
}
