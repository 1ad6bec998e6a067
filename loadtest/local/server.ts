import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StepTimeParams } from '../../lib/planner/calibration/params';
import { createEndpointEngine } from '../../lib/planner/engine';
import type { EndpointEngineConfig, RouterPolicy, ServingEngine } from '../../lib/planner/engine/types';
import type { CallAuthorizer } from './judges/aws-call';
import { resolveLocalDeployment, type LocalDeployment, type LocalDeploymentOptions } from './deployment';
import type { Backend } from './exchange';
import { createFaultPicker, formatFaultSpec } from './faults';
import { readBody, sendJson } from './http-io';
import { createRealTimeDriver } from './real-time-driver';
import { compressedClock } from './control-plane/timeline';
import { createTwinTelemetry, type CopiesInService, type LocalCloudWatchOptions, type TwinTelemetry } from './cloudwatch';
import { createControlPlane, type ControlPlane, type ControlPlaneFacts } from './sagemaker-control-plane';
import { countPromptTokens } from './tokens';
import { createCopyPoolDriver } from './copy-pool';
import { twinLagInfo } from './twin-lag';
import { LatencySketch } from '../../lib/results/sketch';
import type { TemplateScaling } from './control-plane/scaling-policies';
import { TargetTracker, type TargetTrackingModel } from './control-plane/target-tracking';
import { routeRequest, type RouteContext } from './routes';
import type { ServingContainer } from '../../lib/results/records';
import { parseServingContainer } from '../targets/api';

/**
 * The local endpoint: a loopback HTTP twin of a TGI endpoint on SageMaker, served by the planner's
 * engine in real time (optionally time-compressed). Speaks TGI, OpenAI completions, the SageMaker
 * runtime and the describe calls of the SageMaker control plane.
 */

export interface LocalEndpointOptions extends LocalDeploymentOptions {
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** Loopback only. @default '127.0.0.1' */
  readonly host?: '127.0.0.1';
  /**
   * The container to imitate on /invocations (plain and SageMaker): 'tgi' (TGI ≥ 2.4.0: all three
   * bodies, SSE streams) or 'lmi' (djl-inference: routing by body, JSON-lines streams, 30-token default
   * for TGI-style bodies). It also picks the planner's scheduler behind it: TGI's, or vLLM's for LMI. @default 'tgi'
   */
  readonly container?: ServingContainer;
  /** Step-time parameters of the engine (`--params FILE`). @default the shipped calibration */
  readonly stepTimeParams?: StepTimeParams;
  /** Builds the engine of each backend. @default createEndpointEngine (the planner's engine) */
  readonly engineFactory?: (config: EndpointEngineConfig) => ServingEngine;
  /** Control-plane lifecycle (transition timings in virtual ms) and the scalable targets CloudFormation registers. @default instant, none */
  readonly controlPlane?: Pick<ControlPlaneFacts, 'lifecycle' | 'scalableTargets' | 'variantName' | 'endpointConfigName' | 'clock'>;
  /** How the endpoint spreads requests over copies (SageMaker RoutingConfig). @default 'least-outstanding' */
  readonly router?: RouterPolicy;
  /** Authorizes SageMaker runtime and control-plane calls (the offline run's IAM judge). @default every call allowed */
  readonly authorize?: CallAuthorizer;
  /**
   * The container did not start (the launcher judge's verdict): DescribeEndpoint answers `Failed`
   * with this FailureReason and invocations are refused.
   */
  readonly containerFailure?: string;
  /** Facts of the deployed configuration shown under `local` in GET /info (image, scaling, …). */
  readonly describedAs?: Readonly<Record<string, unknown>>;
  /**
   * Autoscaling that runs while serving: the deployment's synthesized scalable targets and policies
   * (they replace `controlPlane.scalableTargets`). Each component is then served by one engine per copy
   * up to the target's MaxCapacity, of which only the copies in service take requests, and target
   * tracking polls its metric every `pollWallMs` (default a quarter of a datapoint period). @default none
   */
  readonly scaling?: { readonly policies: readonly TemplateScaling[]; readonly tracking?: Partial<TargetTrackingModel>; readonly pollWallMs?: number };
  /** The local CloudWatch's publication delay (docs/telemetry.md). @default none: published at once */
  readonly cloudWatch?: LocalCloudWatchOptions;
}

export interface LocalEndpoint {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly endpointName: string;
  readonly speedup: number;
  readonly inferenceComponents: readonly string[];
  readonly deployment: LocalDeployment;
  /** The SageMaker and Application Auto Scaling control plane (its resources' lifecycle in virtual time). */
  readonly controlPlane: ControlPlane;
  readonly container: ServingContainer;
  /** What the engines and containers did, and the CloudWatch GetMetricData that reports it (on the control plane's clock). */
  readonly telemetry: TwinTelemetry;
  /**
   * The control plane's clock (CloudWatch timestamps, lifecycle times): epoch ms = originMs + (wall − originMs) × speedup.
   * Absent when a clock was injected (`controlPlane.clock`).
   */
  readonly clockOriginMs?: number;
  /** Requests the engines hold now (accepted, not finished), summed over backends. */
  inFlight(): number;
  /** Target tracking policies running on the control plane (with `scaling`). */
  readonly targetTrackers: readonly TargetTracker[];
  /** How late the twin handed out its engines' events since it started, endpoint ms (GET /info `twin_lag`; loadtest/local/twin-lag.ts). */
  lag(): LatencySketch;
  /** Stops listening, drops open connections (hung requests included) and stops the engines. */
  close(): Promise<void>;
}

export async function startLocalEndpoint(options: LocalEndpointOptions): Promise<LocalEndpoint> {
  const container = parseServingContainer(options.container ?? 'tgi', 'container');
  // The container decides the scheduler too: an LMI endpoint is served by vLLM's.
  const deployment = resolveLocalDeployment({ ...options, engine: container });
  // Load the tokenizer's vocabulary now (≈ 200 ms once) rather than inside the first request.
  countPromptTokens('warm-up');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be 0..65535, got ${port}`);
  const engineFactory = options.engineFactory ?? createEndpointEngine;
  const engines: ServingEngine[] = [];
  const clockOriginMs = options.controlPlane?.clock === undefined ? Date.now() : undefined;
  const clock = options.controlPlane?.clock ?? compressedClock(deployment.speedup, Date.now, clockOriginMs);
  const telemetry = createTwinTelemetry(deployment, clock, options.controlPlane?.variantName ?? 'AllTraffic', options.cloudWatch);
  const engineConfig = (_component: string | undefined, index: number): EndpointEngineConfig => ({
    model: deployment.model,
    instance: deployment.instance,
    tp: deployment.tp,
    copies: deployment.copies,
    instances: deployment.instances,
    tgi: deployment.tgi,
    ...(options.router !== undefined ? { router: options.router } : {}),
    engine: deployment.engine,
    ...(deployment.lmi !== undefined ? { lmi: deployment.lmi } : {}),
    seed: deployment.seed + index,
    invocationTimeoutMs: deployment.invocationTimeoutMs,
    emitTokenEvents: true,
    ...(options.stepTimeParams !== undefined ? { stepTimeParams: options.stepTimeParams } : {}),
  });
  const makeBackend = (component: string | undefined, index: number): Backend => {
    const engine = engineFactory(engineConfig(component, index));
    engines.push(engine);
    const driver = createRealTimeDriver(telemetry.instrument(engine, component), { speedup: deployment.speedup, idPrefix: `b${index}-` });
    return { driver, tgi: deployment.tgi, component };
  };
  const backends = new Map<string, Backend>();
  const scaledPools = new Map<string, { inFlight(): number }>();
  const poolCopies = new Map<string, CopiesInService>();
  let copiesInService: (component: string) => number = () => 0;
  const scaledMax = (name: string): number | undefined => options.scaling?.policies.find((p) => p.resourceId === `inference-component/${name}`)?.maxCapacity;
  deployment.inferenceComponents.forEach((name, i) => {
    const max = scaledMax(name);
    if (max === undefined) {
      backends.set(name, makeBackend(name, i));
      return;
    }
    const copyEngines = Array.from({ length: Math.max(1, max) }, (_, k) => engineFactory({ ...engineConfig(name, i * 1000 + k), copies: 1, instances: 1 }));
    engines.push(...copyEngines);
    // Each copy feeds the local CloudWatch as the component's copy k, publishing while in service.
    const instrumented = telemetry.instrumentPool(copyEngines, name);
    poolCopies.set(name, instrumented.copies);
    const copies = instrumented.engines.map((engine, k) => createRealTimeDriver(engine, { speedup: deployment.speedup, idPrefix: `b${i}c${k}-` }));
    const pool = createCopyPoolDriver(copies, () => copiesInService(name));
    scaledPools.set(name, pool);
    backends.set(name, { driver: pool, tgi: deployment.tgi, component: name });
  });
  // A variant without components whose instance count autoscales: one engine per instance up to MaxCapacity, only those in service take requests.
  const variantMax = deployment.inferenceComponents.length === 0 ? options.scaling?.policies.find((p) => p.resourceId.startsWith(`endpoint/${deployment.endpointName}/variant/`))?.maxCapacity : undefined;
  let instancesInService: () => number = () => 0;
  const variantPool =
    variantMax === undefined
      ? undefined
      : createCopyPoolDriver(
          Array.from({ length: Math.max(1, variantMax) }, (_, k) => {
            const engine = engineFactory({ ...engineConfig(undefined, k), instances: 1 });
            engines.push(engine);
            return createRealTimeDriver(telemetry.instrument(engine, undefined), { speedup: deployment.speedup, idPrefix: `b0i${k}-` });
          }),
          () => instancesInService(),
        );
  const variantBackend = deployment.inferenceComponents.length === 0 ? (variantPool ? { driver: variantPool, tgi: deployment.tgi, component: undefined } : makeBackend(undefined, 0)) : undefined;
  const allBackends = [...backends.values(), ...(variantBackend ? [variantBackend] : [])];
  /** How late every driver (every copy of a pool) handed out its engine's events since the start, endpoint ms. */
  const lag = (): LatencySketch => {
    const merged = new LatencySketch();
    for (const backend of allBackends) merged.merge(backend.driver.lag());
    return merged;
  };

  const scalableTargets = options.scaling?.policies.map((p) => ({
    resourceId: p.resourceId,
    scalableDimension: p.scalableDimension,
    minCapacity: p.minCapacity,
    maxCapacity: p.maxCapacity,
    scaleOutFromZero: p.stepScaleOut !== undefined,
  }));
  const controlPlane = createControlPlane({
    ...options.controlPlane,
    ...(scalableTargets ? { scalableTargets } : {}),
    clock,
    endpointName: deployment.endpointName,
    instanceType: deployment.instance.name,
    instances: deployment.instances,
    // SageMaker's CopyCount is endpoint-wide; the engine (and LocalDeployment) count copies per instance.
    components: deployment.inferenceComponents.map((name) => ({ name, copies: deployment.copies * deployment.instances, gpus: deployment.tp })),
    creatingDescribeCalls: deployment.creatingDescribeCalls,
    settledStatus: options.containerFailure !== undefined ? 'Failed' : deployment.settledStatus,
    ...(options.containerFailure !== undefined ? { failureReason: options.containerFailure } : {}),
  });
  copiesInService = (component) => controlPlane.world.describeComponent(component)?.currentCopies ?? 0;
  instancesInService = () => controlPlane.world.describeEndpoint().currentInstances;
  const poolOf = (resourceId: string): { inFlight(): number } | undefined =>
    resourceId.startsWith('inference-component/') ? scaledPools.get(resourceId.slice('inference-component/'.length)) : variantPool;
  controlPlane.world.onCopiesInService.push((component, copies, atMs) => poolCopies.get(component)?.set(atMs, copies));
  telemetry.beforeRead(() => controlPlane.world.timeline.advance());
  const targetTrackers = (options.scaling?.policies ?? [])
    .filter((p) => p.targetTracking !== undefined && poolOf(p.resourceId) !== undefined)
    .map((p) => new TargetTracker(controlPlane.autoScaling, controlPlane.world, p, poolOf(p.resourceId) as { inFlight(): number }, options.scaling?.tracking));
  const pollTimers = targetTrackers.map((tracker) => {
    const timer = setInterval(() => tracker.poll(), options.scaling?.pollWallMs ?? Math.max(5, (tracker.model.periodS * 1000) / deployment.speedup / 4));
    timer.unref();
    return timer;
  });
  const context: RouteContext = {
    deployment,
    backends,
    variantBackend,
    faults: createFaultPicker(deployment.faults),
    container,
    controlPlane,
    telemetry,
    info: () => ({
      ...infoBody(deployment, clockOriginMs, options.describedAs),
      container,
      virtual_clock: { virtual_now_ms: clock(), wall_now_ms: Date.now(), speedup: deployment.speedup },
      twin_lag: twinLagInfo(lag()),
    }),
    ...(options.authorize !== undefined ? { authorize: options.authorize } : {}),
    ...(options.containerFailure !== undefined ? { containerFailure: options.containerFailure } : {}),
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    readBody(request)
      .then((body) => routeRequest(context, request, response, body))
      .catch((error: unknown) => {
        sendJson(response, 500, { error: `local endpoint failure: ${error instanceof Error ? error.message : String(error)}`, error_type: 'internal' });
      });
  });
  // Clients keep connections alive for the whole run; never let Node cut a slow or hung request.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    endpointName: deployment.endpointName,
    speedup: deployment.speedup,
    inferenceComponents: deployment.inferenceComponents,
    deployment,
    controlPlane,
    container,
    telemetry,
    ...(clockOriginMs !== undefined ? { clockOriginMs } : {}),
    inFlight: () => engines.reduce((sum, engine) => sum + engine.inFlight(), 0),
    targetTrackers,
    lag,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of pollTimers) clearInterval(timer);
        for (const backend of allBackends) backend.driver.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** TGI's GET /info, plus what a report needs to scale a time-compressed run back. */
function infoBody(deployment: LocalDeployment, clockOriginMs: number | undefined, describedAs: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const { model, tgi } = deployment;
  return {
    model_id: model.huggingFaceId,
    model_sha: null,
    model_dtype: `torch.${model.dtype}`,
    model_device_type: 'cuda',
    model_pipeline_tag: 'text-generation',
    max_concurrent_requests: tgi.maxConcurrentRequests,
    max_best_of: 2,
    max_stop_sequences: 4,
    max_input_tokens: tgi.maxInputTokens,
    max_input_length: tgi.maxInputTokens,
    max_total_tokens: tgi.maxTotalTokens,
    max_batch_prefill_tokens: tgi.maxBatchPrefillTokens,
    max_batch_total_tokens: deployment.batchTotalTokens,
    waiting_served_ratio: 1.2,
    max_waiting_tokens: 20,
    max_batch_size: null,
    validation_workers: 2,
    sharded: deployment.tp > 1,
    num_shard: deployment.tp,
    version: 'llm-bench-local',
    sha: null,
    docker_label: null,
    speedup: deployment.speedup,
    local: {
      model: model.id,
      instance_type: deployment.instance.name,
      tp: deployment.tp,
      copies: deployment.copies,
      instances: deployment.instances,
      endpoint_name: deployment.endpointName,
      inference_components: deployment.inferenceComponents,
      faults: formatFaultSpec(deployment.faults),
      invocation_timeout_ms: deployment.invocationTimeoutMs,
      // CloudWatch and control-plane times: origin + (wall − origin) × speedup.
      ...(clockOriginMs !== undefined ? { clock_origin_ms: clockOriginMs } : {}),
      ...describedAs,
    },
  };
}
