import { jumpStartEngine, type Pricing } from '../catalog';
import type { InstanceTypeSpec, LmiSettings, ModelSpec, ServingEngine, TgiSettings } from '../catalog/types';
import { checkDeployment, DEPLOYMENT_RULES, type DeploymentUnderCheck } from '../endpoint/validation';
import { deploymentPrice } from '../planner/cost';
import { chooseTp, lmiRequestLimits, resolveLmiSettings, resolveTgiSettings, TpChoiceError } from '../planner/deployment-shape';
import { mergeBenchmark, mergeTwinCapacity } from './benchmark-defaults';
import type { FleetIssue } from './errors';
import { defaultDeploymentId, endpointName, inferenceComponentName, stackName } from './names';
import { resolveAutoscaling } from './resolve-autoscaling';
import { resolveScenarios } from './resolve-scenarios';
import type { AutoscalingConfig, BenchmarkConfig, FleetConfig, LmiOverrides, TgiOverrides } from './schema';
import type { ResolvedDeployment } from './types';

/** One deployment to resolve, from `deployments[i]` or one matrix combination. */
export interface DeploymentInput {
  /** Path of the entry in the file: `deployments[2]` or `matrix`. */
  readonly sourcePath: string;
  readonly id?: string;
  readonly model: ModelSpec;
  readonly instance: InstanceTypeSpec;
  readonly tp?: number;
  readonly copies?: number;
  readonly instances?: number;
  readonly layout?: 'variant' | 'inference-components';
  readonly acceptEula?: boolean;
  readonly routing?: 'least-outstanding-requests' | 'random';
  readonly engine?: ServingEngine;
  /** Append the engine to the default id (a matrix comparing engines). */
  readonly engineInId?: boolean;
  readonly tgi?: TgiOverrides;
  readonly lmi?: LmiOverrides;
  readonly autoscaling?: AutoscalingConfig;
  readonly benchmark?: BenchmarkConfig;
}

export interface ResolveContext {
  readonly config: FleetConfig;
  readonly region: string;
  /** Prices of the fleet's region (overrides and discount included). */
  readonly pricing: Pricing;
  /** Matrix mode: impossible combinations are skipped, not errors. */
  readonly skipImpossible: boolean;
}

export type DeploymentOutcome =
  | { readonly kind: 'resolved'; readonly deployment: ResolvedDeployment; readonly issues: FleetIssue[] }
  | { readonly kind: 'skipped'; readonly id: string; readonly reason: string };

/**
 * TP when the file gives none (`chooseTp`): JumpStart's default, or with copies the largest valid TP
 * that lets them fit. A layout where no TP fits falls back to 1 and the copies rule reports it.
 */
function defaultTp(input: DeploymentInput, layout: string, instances: number, tokensPerSequence: number): number {
  const copies = layout === 'inference-components' ? input.copies : undefined;
  try {
    return chooseTp({ model: input.model, instance: input.instance, copies, instances, tokensPerSequence }).tp;
  } catch (error) {
    if (error instanceof TpChoiceError) return 1;
    throw error;
  }
}

function numericTgi(t: TgiOverrides): Partial<TgiSettings> {
  return {
    maxInputTokens: t.maxInputTokens,
    maxTotalTokens: t.maxTotalTokens,
    maxBatchPrefillTokens: t.maxBatchPrefillTokens,
    maxBatchTotalTokens: t.maxBatchTotalTokens,
    maxConcurrentRequests: t.maxConcurrentRequests,
  };
}

function typedLmi(l: LmiOverrides): Partial<LmiSettings> {
  const { env: _env, dtype: _dtype, ...typed } = l;
  return typed;
}

/** The engine's settings: TGI's, or LMI's with their request limits in TGI's terms. */
function engineSettings(
  engine: ServingEngine,
  input: DeploymentInput,
  defaults: NonNullable<FleetConfig['defaults']>,
  path: string,
  issues: FleetIssue[],
): { tgi: TgiSettings; lmi?: LmiSettings; dtype?: 'float16' | 'bfloat16'; extraEnv?: Readonly<Record<string, string>>; quantize?: TgiOverrides['quantize'] } {
  const other = engine === 'lmi' ? 'tgi' : 'lmi';
  if (input[other] !== undefined) {
    issues.push({ path: `${path}.${other}`, message: `${other} settings do not apply: this deployment runs engine ${engine}; allowed: ${engine}: { ... } or engine: ${other}` });
  }
  if (engine === 'lmi') {
    const overrides: LmiOverrides = { ...(defaults.lmi ?? {}), ...(input.lmi ?? {}) };
    const lmi = resolveLmiSettings(input.model, input.instance, typedLmi(overrides));
    return { tgi: lmiRequestLimits(lmi), lmi, dtype: overrides.dtype, extraEnv: overrides.env };
  }
  const overrides: TgiOverrides = { ...(defaults.tgi ?? {}), ...(input.tgi ?? {}) };
  return { tgi: resolveTgiSettings(input.model, input.instance, input.tp ?? 1, numericTgi(overrides)), dtype: overrides.dtype, extraEnv: overrides.env, quantize: overrides.quantize };
}

/** Instances the deployment may run at most: the autoscaling maximum, else the initial count. */
function maxInstancesOf(autoscaling: ResolvedDeployment['autoscaling'], instances: number): number {
  return Math.max(instances, autoscaling?.maxInstances ?? instances);
}

/** Resolves defaults, runs the validation rules and prices one deployment (at its initial size and at its autoscaling maximum). */
export function resolveDeployment(input: DeploymentInput, ctx: ResolveContext): DeploymentOutcome {
  const path = input.sourcePath;
  const issues: FleetIssue[] = [];
  const defaults = ctx.config.defaults ?? {};
  const scaleToZero = (input.autoscaling?.scaleToZero ?? defaults.autoscaling?.scaleToZero) === true;
  const layout = input.layout ?? (input.copies !== undefined || scaleToZero ? 'inference-components' : 'variant');
  const instances = input.instances ?? 1;
  if (layout === 'variant' && input.copies !== undefined && input.copies > 1) {
    issues.push({ path: `${path}.copies`, message: `copies ${input.copies} needs layout: inference-components; a variant holds one model per instance` });
  }
  const engine = input.engine ?? defaults.engine ?? jumpStartEngine(input.model.jumpStartId);
  const settings = engineSettings(engine, input, defaults, path, issues);
  const tgi = settings.tgi;
  const tp = input.tp ?? defaultTp(input, layout, instances, tgi.maxTotalTokens);
  const copies = layout === 'variant' ? 1 : (input.copies ?? Math.max(1, Math.floor((input.instance.acceleratorCount * instances) / tp)));
  const id = input.id ?? defaultDeploymentId(input.model.id, input.instance.name, tp, layout === 'inference-components' ? copies : undefined, input.engineInId ? engine : undefined);
  const merged = mergeBenchmark(defaults.benchmark, input.benchmark);
  // Drawn lengths are clipped to the deployment's token limits (the mean is what the checks below see).
  const drawn = merged.inputDistribution !== undefined || merged.outputDistribution !== undefined;
  const limited = drawn ? { ...merged, tokenLimits: { maxInputTokens: tgi.maxInputTokens, maxTotalTokens: tgi.maxTotalTokens } } : merged;
  // The workers frame the endpoint's streams by its container: LMI streams JSON lines.
  const withContainer = engine === 'lmi' ? { ...limited, container: 'lmi' as const } : limited;
  const autoscaling = resolveAutoscaling(defaults.autoscaling, input.autoscaling, { path, layout, instance: input.instance, tp, copies, instances }, issues);
  // The deployment's list replaces the fleet default's; an entry the deployment cannot run names it.
  const ownScenarios = input.benchmark?.scenarios;
  const scenarioIssues: FleetIssue[] = [];
  const resolvedScenarios = resolveScenarios(
    ownScenarios ?? defaults.benchmark?.scenarios,
    { path: ownScenarios !== undefined ? `${path}.benchmark.scenarios` : 'defaults.benchmark.scenarios', autoscaling, benchmarkSchedule: withContainer.schedule },
    scenarioIssues,
  );
  issues.push(...scenarioIssues.map((i) => (ownScenarios !== undefined ? i : { ...i, message: `${i.message} (in ${id})` })));
  const benchmark = { ...withContainer, schedule: resolvedScenarios.sweepSchedule, scenarios: resolvedScenarios.scenarios };
  const underCheck: DeploymentUnderCheck = {
    model: input.model,
    instance: input.instance,
    region: ctx.region,
    layout,
    tp,
    copies,
    instances,
    tgi,
    ...(settings.lmi !== undefined ? { lmi: settings.lmi } : {}),
    dtype: settings.dtype,
    extraEnv: settings.extraEnv,
    autoscaling,
    payload: { inputTokens: benchmark.inputTokens, outputTokens: benchmark.outputTokens },
  };
  if (ctx.skipImpossible) {
    const impossible = checkDeployment(underCheck, DEPLOYMENT_RULES.filter((r) => r.impossibleCombination));
    // The first reason is the most basic one (rules run in order: TP shape, support, memory).
    if (impossible.length > 0) return { kind: 'skipped', id, reason: impossible[0].message };
  }
  for (const p of checkDeployment(underCheck)) {
    // The region is fleet-wide: report it once, at the top level.
    issues.push({ path: p.field === 'region' ? 'region' : `${path}.${p.field}`, message: ctx.skipImpossible ? `${p.message} (in ${id})` : p.message });
  }
  const acceptEula = input.acceptEula ?? defaults.acceptEula ?? false;
  if (input.model.gated && !acceptEula) {
    issues.push({ path: `${path}.acceptEula`, message: `${input.model.id} is a gated model; set acceptEula: true (here or in defaults) to accept its license` });
  }
  const twinCapacity = mergeTwinCapacity(defaults.benchmark, input.benchmark);
  const endpoint = endpointName(ctx.config.name, id, input.instance.name);
  const { hourlyUsd, quote } = deploymentPrice(input.instance, instances, ctx.pricing);
  const deployment: ResolvedDeployment = {
    id,
    stackName: stackName(ctx.config.name, id),
    endpointName: endpoint,
    model: input.model,
    instanceType: input.instance,
    layout,
    tp,
    copies,
    instances,
    engine,
    tgi,
    ...(settings.lmi !== undefined ? { lmi: settings.lmi } : {}),
    quantize: settings.quantize,
    dtype: settings.dtype,
    extraEnv: settings.extraEnv,
    acceptEula,
    routing: input.routing === undefined ? undefined : input.routing === 'random' ? 'RANDOM' : 'LEAST_OUTSTANDING_REQUESTS',
    inferenceComponentName: layout === 'inference-components' ? inferenceComponentName(endpoint) : undefined,
    hourlyUsd,
    maxHourlyUsd: quote.usd * maxInstancesOf(autoscaling, instances),
    price: quote,
    autoscaling,
    benchmark,
    ...(twinCapacity !== undefined ? { twinCapacity } : {}),
    sourcePath: path,
  };
  return { kind: 'resolved', deployment, issues };
}
