import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { UserInputError } from '../errors';
import { DeploymentStack } from './deployment-stack';
import { loadFleetFile } from './load';
import { resolveFleet } from './resolve';
import { FleetSharedStack } from './shared-stack';
import type { ResolvedFleet } from './types';

export const DEFAULT_FLEET_PATH = 'fleets/published-study.yaml';

export interface BuildAppOptions {
  /** Fleet file (YAML) to build. */
  readonly fleetPath: string;
  /** Region of every stack (the TGI image and JumpStart artifacts are regional). */
  readonly region: string;
  /** @default - CDK_DEFAULT_ACCOUNT, else environment-agnostic */
  readonly account?: string;
  /** Run cdk-nag AwsSolutionsChecks over every stack. @default false */
  readonly nag?: boolean;
  /** Where notes (skipped matrix combinations) go. @default console.warn */
  readonly log?: (line: string) => void;
}

export interface BuiltApp {
  readonly shared: FleetSharedStack;
  readonly deployments: DeploymentStack[];
  readonly fleet: ResolvedFleet;
}

/** Fleet file → one shared stack (`LlmBench-{fleet}`) + one stack per deployment. */
export function buildApp(app: App, opts: BuildAppOptions): BuiltApp {
  const config = loadFleetFile(opts.fleetPath);
  const fleet = resolveFleet(config, { region: opts.region, file: opts.fleetPath });
  const log = opts.log ?? ((line: string) => console.warn(line));
  for (const s of fleet.skipped) log(`skipped ${s.id}: ${s.reason}`);
  const env = { account: opts.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: opts.region };
  const shared = new FleetSharedStack(app, `LlmBench-${fleet.name}`, { env, fleet });
  const deployments = fleet.deployments.map(
    (deployment) => new DeploymentStack(app, deployment.stackName, { env, fleetName: fleet.name, deployment }),
  );
  if (opts.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { shared, deployments, fleet };
}

/** Region from `-c region=`, the fleet file, CDK_DEFAULT_REGION or AWS_REGION, in that order. */
export function resolveRegion(sources: {
  context?: unknown;
  fleetRegion?: string;
  env?: NodeJS.ProcessEnv;
}): string {
  const env = sources.env ?? process.env;
  const candidates = [sources.context, sources.fleetRegion, env.CDK_DEFAULT_REGION, env.AWS_REGION];
  const region = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  if (region === undefined) {
    throw new UserInputError(
      'region',
      'no region given: pass -c region=us-east-1, set region: in the fleet file, or set CDK_DEFAULT_REGION / AWS_REGION',
    );
  }
  return region.trim();
}
