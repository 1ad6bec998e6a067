import type { InvocationRecord, ServingRecord } from './serving-record';

/**
 * The samples each SageMaker metric would have received in one period, computed from the twin's
 * serving record. CloudWatch statistics are then taken over them (metric-statistics.ts).
 *
 * How the twin derives each metric (its assumptions, stated once; docs/telemetry.md repeats them):
 * - GPUUtilization: each instance publishes once per period Σ over the copies it hosts of
 *   (share of the period the copy had a request in flight) × its GPUs × 100. NVIDIA's utilization is
 *   "percent of time over the past sample period during which one or more kernels was executing";
 *   a TGI replica with a request in flight runs a prefill or decode step back to back.
 * - GPUMemoryUtilization: TGI reserves weights + runtime + its batch KV budget at warm-up, so each
 *   copy's GPUs hold a constant share, whatever the load.
 * - CPUUtilization: one core per busy copy (TGI's router and the shard leader loop), × 100; a twin
 *   assumption, not a measurement.
 * - GPUUtilizationNormalized / GPUMemoryUtilizationNormalized: "the value … reported by each copy of the
 *   inference component" (monitoring-cloudwatch.html): each copy present in the period (in service, or
 *   still finishing its requests after being removed) publishes its busy share of the time it was
 *   present × 100 (its reserved GPUs run together) and its memory share × 100. An autoscaled
 *   component's copies publish only while they are in service (CopiesInService): a copy not yet placed
 *   reports nothing, as on SageMaker.
 * - ModelLatency: one sample per answered invocation, its time through the model container (µs),
 *   counted in the period it ends in. OverheadLatency: the twin's constant (see OVERHEAD_LATENCY_MS).
 * - ConcurrentRequestsPerModel: every copy publishes every 10 s the time-weighted mean of its requests
 *   in flight (queued included) over those 10 s.
 * - ConcurrentRequestsPerCopy: "the number of concurrent requests being received by the inference
 *   component, normalized by each copy" (monitoring-cloudwatch.html): every 10 s, the component's mean
 *   requests in flight ÷ its mean copies in service over those 10 s (what target tracking divides too).
 * - Invocations, Invocation4XXErrors, Invocation5XXErrors, InvocationModelErrors: one sample per answered
 *   invocation (1 or 0), as the documentation describes ("For each 4xx response, 1 is sent; otherwise, 0").
 */

/**
 * OverheadLatency the twin reports for every invocation, ms. Not an AWS figure: SageMaker documents
 * that it "can vary depending on multiple factors, including request and response payload sizes,
 * request frequency, and authentication/authorization" (monitoring-cloudwatch.html). The twin serves
 * on loopback and does not add it to its responses; it only reports it, so the report's split shows.
 */
export const OVERHEAD_LATENCY_MS = 5;

/** Interval of the high-resolution concurrency metrics, s (endpoint-auto-scaling-add-code-define.html). */
export const HIGH_RESOLUTION_INTERVAL_S = 10;

export interface SampleQuery {
  readonly metricName: string;
  /** Dimension values by name. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly fromMs: number;
  readonly toMs: number;
}

export interface EndpointIdentity {
  readonly endpointName: string;
  readonly variantName: string;
  readonly instances: number;
}

/** The samples of one metric in [fromMs, toMs), or undefined when no such metric exists (unknown name or dimensions). */
export function metricSamples(record: ServingRecord, endpoint: EndpointIdentity, query: SampleQuery): number[] | undefined {
  const { dimensions, fromMs, toMs } = query;
  const variantDims = dimensions.EndpointName === endpoint.endpointName && dimensions.VariantName === endpoint.variantName && Object.keys(dimensions).length === 2;
  const componentName = Object.keys(dimensions).length === 1 ? dimensions.InferenceComponentName : undefined;
  const component = componentName === undefined ? undefined : record.backends.find((b) => b.component === componentName);
  const hasComponents = record.backends.some((b) => b.component !== undefined);
  const allReplicas = record.backends.flatMap((b) => b.replicas.map((replica, index) => ({ replica, backend: b, index })));
  /** Share of the period a replica was present: always for a fixed backend; in service or busy for an autoscaled copy. */
  const present = (e: (typeof allReplicas)[number]): number =>
    e.backend.copies === undefined ? 1 : Math.max(e.backend.copies.inServiceFraction(e.index, fromMs, toMs), e.replica.busyFraction(fromMs, toMs));
  const componentReplicas = component === undefined ? [] : allReplicas.filter((e) => e.backend === component);
  const perInstance = (value: (entry: (typeof allReplicas)[number]) => number): number[] =>
    Array.from({ length: endpoint.instances }, (_, instance) =>
      allReplicas.filter((e) => e.replica.placement.instance === instance).reduce((sum, e) => sum + value(e), 0),
    );
  const invocationsOf = (ofComponent: string | undefined): InvocationRecord[] =>
    record.invocations.filter((i) => i.endMs >= fromMs && i.endMs < toMs && (ofComponent === undefined || i.component === ofComponent));
  const invocationScope = (): InvocationRecord[] | undefined => {
    if (variantDims) return invocationsOf(undefined);
    if (component !== undefined) return invocationsOf(component.component);
    return undefined;
  };
  const perCopySlots = (backend: NonNullable<typeof component>): number[] => {
    const samples: number[] = [];
    const slotMs = HIGH_RESOLUTION_INTERVAL_S * 1000;
    for (let t = fromMs; t < toMs; t += slotMs) {
      const end = Math.min(t + slotMs, toMs);
      const inFlight = backend.replicas.reduce((sum, r) => sum + r.meanInFlight(t, end), 0);
      const copies = backend.copies === undefined ? backend.replicas.length : backend.copies.meanCopies(t, end);
      if (!(copies > 0) && !(inFlight > 0)) continue;
      samples.push(inFlight / Math.max(1, copies));
    }
    return samples;
  };
  const concurrencySlots = (replicas: readonly (typeof allReplicas)[number]['replica'][]): number[] => {
    const samples: number[] = [];
    const slotMs = HIGH_RESOLUTION_INTERVAL_S * 1000;
    for (let t = fromMs; t < toMs; t += slotMs) {
      for (const replica of replicas) samples.push(replica.meanInFlight(t, Math.min(t + slotMs, toMs)));
    }
    return samples;
  };

  switch (query.metricName) {
    case 'GPUUtilization':
      return variantDims ? perInstance((e) => e.replica.busyFraction(fromMs, toMs) * e.replica.placement.gpus * 100) : undefined;
    case 'GPUMemoryUtilization':
      return variantDims ? perInstance((e) => e.backend.gpuMemoryFraction * e.replica.placement.gpus * 100 * present(e)) : undefined;
    case 'CPUUtilization':
      return variantDims ? perInstance((e) => e.replica.busyFraction(fromMs, toMs) * 100) : undefined;
    case 'GPUUtilizationNormalized':
      return component === undefined
        ? undefined
        : componentReplicas.filter((e) => present(e) > 0).map((e) => Math.min(1, e.replica.busyFraction(fromMs, toMs) / present(e)) * 100);
    case 'GPUMemoryUtilizationNormalized':
      return component === undefined ? undefined : componentReplicas.filter((e) => present(e) > 0).map(() => component.gpuMemoryFraction * 100);
    case 'ConcurrentRequestsPerModel':
      return variantDims && !hasComponents ? concurrencySlots(allReplicas.map((e) => e.replica)) : undefined;
    case 'ConcurrentRequestsPerCopy':
      return component !== undefined ? perCopySlots(component) : undefined;
    case 'ModelLatency':
      return invocationScope()?.map((i) => (i.endMs - i.startMs) * 1000);
    case 'OverheadLatency':
      return invocationScope()?.map(() => OVERHEAD_LATENCY_MS * 1000);
    case 'Invocations':
      return invocationScope()?.map(() => 1);
    case 'Invocation4XXErrors':
      return invocationScope()?.map((i) => (i.status >= 400 && i.status < 500 ? 1 : 0));
    case 'Invocation5XXErrors':
      return invocationScope()?.map((i) => (i.status >= 500 ? 1 : 0));
    case 'InvocationModelErrors':
      return invocationScope()?.map((i) => (i.status >= 200 && i.status < 300 ? 0 : 1));
    default:
      return undefined;
  }
}
