import { App, Stack } from 'aws-cdk-lib';
import { BenchmarkPipeline } from '../../lib/benchmark';
import { buildApp, DEFAULT_FLEET_PATH } from '../../lib/fleet/app';
import { DeploymentStack } from '../../lib/fleet/deployment-stack';
import type { ResolvedFleet } from '../../lib/fleet/types';
import type { CfnTemplate } from './definition';

export interface SynthesizedFleet {
  readonly fleet: ResolvedFleet;
  /** Template of the fleet's shared stack (the one holding the benchmark pipeline). */
  readonly template: CfnTemplate;
  /** Template of each deployment's stack (Model, EndpointConfig, Endpoint, components), by deployment id. */
  readonly deploymentTemplates: Readonly<Record<string, CfnTemplate>>;
  readonly region: string;
  readonly account: string;
  readonly durationMs: number;
}

export interface SynthesizeOptions {
  /** @default fleets/published-study.yaml */
  readonly fleetPath?: string;
  /** @default us-east-1 */
  readonly region?: string;
  /** @default 123456789012 */
  readonly account?: string;
}

/**
 * App settings of an offline synth: no asset bundling (tasks run the handler sources) and no
 * built-in CloudFormation rule validation (it costs seconds of CPU per stack and `cdk synth`
 * runs it anyway).
 */
export const OFFLINE_APP_PROPS = { context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false } as const;

/**
 * Synthesizes a fleet in process (no cdk CLI) with asset bundling skipped: the offline run binds
 * tasks to the handler sources, so no Lambda bundle is needed.
 */
export function synthesizeFleet(opts: SynthesizeOptions = {}): SynthesizedFleet {
  const started = Date.now();
  const region = opts.region ?? 'us-east-1';
  const account = opts.account ?? '123456789012';
  const app = new App(OFFLINE_APP_PROPS);
  const built = buildApp(app, { fleetPath: opts.fleetPath ?? DEFAULT_FLEET_PATH, region, account, log: () => undefined });
  // The shared stack adds the pipeline itself; older trees without that line get it here.
  if (built.shared.node.tryFindChild('Benchmark') === undefined) {
    new BenchmarkPipeline(built.shared, 'Benchmark', { fleet: built.fleet });
  }
  const assembly = app.synth();
  const template = assembly.getStackArtifact(built.shared.artifactId).template as CfnTemplate;
  const deploymentTemplates = Object.fromEntries(
    built.deployments.map((stack) => [stack.deployment.id, assembly.getStackArtifact(stack.artifactId).template as CfnTemplate]),
  );
  return { fleet: built.fleet, template, deploymentTemplates, region, account, durationMs: Date.now() - started };
}

/**
 * Synthesizes only a stack holding the benchmark pipeline of `fleet` and the stacks of its
 * deployments (tests: faster than the whole fleet app, same state machine and endpoints).
 */
export function synthesizePipeline(fleet: ResolvedFleet, opts: { region?: string; account?: string } = {}): SynthesizedFleet {
  const started = Date.now();
  const region = opts.region ?? 'us-east-1';
  const account = opts.account ?? '123456789012';
  const app = new App(OFFLINE_APP_PROPS);
  const stack = new Stack(app, 'PipelineOnly', { env: { region, account } });
  new BenchmarkPipeline(stack, 'Benchmark', { fleet });
  const deployments = fleet.deployments.map(
    (deployment) => new DeploymentStack(app, deployment.stackName, { env: { region, account }, fleetName: fleet.name, deployment }),
  );
  const assembly = app.synth();
  const template = assembly.getStackArtifact(stack.artifactId).template as CfnTemplate;
  const deploymentTemplates = Object.fromEntries(deployments.map((d) => [d.deployment.id, assembly.getStackArtifact(d.artifactId).template as CfnTemplate]));
  return { fleet, template, deploymentTemplates, region, account, durationMs: Date.now() - started };
}
