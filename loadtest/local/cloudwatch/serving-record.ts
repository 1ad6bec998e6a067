/**
 * What the local endpoint's CloudWatch answers from: a record, in the control plane's virtual time
 * (epoch ms), of every replica's requests in flight (accepted by its engine and not finished,
 * queued ones included) and of every invocation the model containers answered.
 * Nothing here is sampled: in-flight counts are step functions, exact between their change points.
 */

/** One in-flight change of a replica: from `atMs` on it holds `inFlight` requests. */
interface Step {
  readonly atMs: number;
  readonly inFlight: number;
}

/** One model copy (a TGI replica): the instance it runs on and the GPUs it holds. */
export interface ReplicaPlacement {
  readonly instance: number;
  readonly gpus: number;
}

export class ReplicaRecord {
  private readonly steps: Step[] = [];

  constructor(public readonly placement: ReplicaPlacement) {}

  /** Notes the replica's in-flight count at `atMs` (times never go back; equal counts are skipped). */
  observe(atMs: number, inFlight: number): void {
    const last = this.steps[this.steps.length - 1];
    if (last !== undefined && last.inFlight === inFlight) return;
    if (last !== undefined && atMs < last.atMs) atMs = last.atMs;
    if (last !== undefined && last.atMs === atMs) this.steps[this.steps.length - 1] = { atMs, inFlight };
    else this.steps.push({ atMs, inFlight });
  }

  /** Share of [fromMs, toMs) with at least one request in flight (the GPU was running a step). */
  busyFraction(fromMs: number, toMs: number): number {
    return this.integrate(fromMs, toMs, (n) => (n > 0 ? 1 : 0));
  }

  /** Time-weighted mean of requests in flight over [fromMs, toMs). */
  meanInFlight(fromMs: number, toMs: number): number {
    return this.integrate(fromMs, toMs, (n) => n);
  }

  private integrate(fromMs: number, toMs: number, f: (inFlight: number) => number): number {
    return integrate(this.steps, fromMs, toMs, f);
  }
}

/** ∫ f(step value) dt over [fromMs, toMs) ÷ its length, for a step function in time order. */
function integrate(steps: readonly Step[], fromMs: number, toMs: number, f: (value: number) => number): number {
  if (!(toMs > fromMs)) return 0;
  let total = 0;
  // Steps are in time order: start at the last one at or before fromMs, stop past toMs.
  let low = 0;
  let high = steps.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((steps[mid] as Step).atMs <= fromMs) low = mid;
    else high = mid - 1;
  }
  for (let i = low; i < steps.length; i++) {
    const step = steps[i] as Step;
    if (step.atMs >= toMs) break;
    const next = steps[i + 1];
    const start = Math.max(fromMs, step.atMs);
    const end = Math.min(toMs, next?.atMs ?? Infinity);
    if (end > start) total += f(step.inFlight) * (end - start);
  }
  return total / (toMs - fromMs);
}

/** One invocation a model container answered: its span through the container and its HTTP status. */
export interface InvocationRecord {
  /** Inference component addressed; undefined on an endpoint without components. */
  readonly component: string | undefined;
  readonly startMs: number;
  readonly endMs: number;
  readonly status: number;
}

/**
 * Copies of an autoscaled component in service over time (CurrentCopyCount, as the control plane
 * changes it). The pool routes to its first N copies, so copy k is in service while N > k.
 */
export class CopiesInService {
  private readonly steps: Step[] = [];

  /** From `atMs` on, `copies` copies are in service (times never go back). */
  set(atMs: number, copies: number): void {
    const last = this.steps[this.steps.length - 1];
    if (last !== undefined && last.inFlight === copies) return;
    const at = last !== undefined && atMs < last.atMs ? last.atMs : atMs;
    if (last !== undefined && last.atMs === at) this.steps[this.steps.length - 1] = { atMs: at, inFlight: copies };
    else this.steps.push({ atMs: at, inFlight: copies });
  }

  /** Share of [fromMs, toMs) during which copy `index` (0-based) was in service. */
  inServiceFraction(index: number, fromMs: number, toMs: number): number {
    return integrate(this.steps, fromMs, toMs, (n) => (n > index ? 1 : 0));
  }

  /** Time-weighted mean of the copies in service over [fromMs, toMs). */
  meanCopies(fromMs: number, toMs: number): number {
    return integrate(this.steps, fromMs, toMs, (n) => n);
  }
}

/** The replicas of one backend (an inference component's copies, or the variant's model). */
export interface BackendRecord {
  readonly component: string | undefined;
  readonly replicas: readonly ReplicaRecord[];
  /** Share of each GPU's memory a copy holds, 0..1 (TGI reserves its KV budget at warm-up). */
  readonly gpuMemoryFraction: number;
  /** An autoscaled component's copies in service over time; absent: every replica is always in service. */
  readonly copies?: CopiesInService;
}

export class ServingRecord {
  readonly backends: BackendRecord[] = [];
  readonly invocations: InvocationRecord[] = [];

  addBackend(backend: BackendRecord): void {
    this.backends.push(backend);
  }

  addInvocation(invocation: InvocationRecord): void {
    this.invocations.push(invocation);
  }
}
