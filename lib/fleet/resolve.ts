import { checkDiscount, getInstanceType, getModel, type PriceOverrides, type PriceRow } from '../catalog';
import type { InstanceTypeSpec, ModelSpec } from '../catalog/types';
import { UserInputError } from '../errors';
import { FleetValidationError, type FleetIssue } from './errors';
import { expandMatrix } from './matrix';
import { duplicateEndpointNames } from './names';
import { fleetCost } from './resolve-cost';
import { resolveDeployment, type DeploymentInput, type ResolveContext } from './resolve-deployment';
import type { FleetConfig } from './schema';
import type { ResolvedDeployment, ResolvedFleet } from './types';

export interface ResolveFleetOptions {
  readonly region: string;
  readonly priceOverrides?: PriceOverrides;
  /** Discount off every price; overrides the fleet file's `discount`. */
  readonly discount?: number;
  /** Rows refreshed from the AWS Price List API (the local price file). */
  readonly refreshedPrices?: readonly PriceRow[];
  /** File the config came from, named in error messages. */
  readonly file?: string;
}

/** Orders issues as the file does: deployments by index, then the matrix, then fleet-wide fields. */
function fileOrder(issue: FleetIssue): number {
  const match = /^deployments\[(\d+)\]/.exec(issue.path);
  if (match) return Number(match[1]);
  return issue.path.startsWith('matrix') ? 1e6 : 2e6;
}

/** Catalog lookup that records an issue instead of throwing. */
function lookup<T>(find: () => T, path: string, issues: FleetIssue[]): T | undefined {
  try {
    return find();
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    issues.push({ path, message: error.message.slice(error.field.length + 2) });
    return undefined;
  }
}

function explicitInputs(config: FleetConfig, issues: FleetIssue[]): DeploymentInput[] {
  const inputs: DeploymentInput[] = [];
  (config.deployments ?? []).forEach((d, i) => {
    const path = `deployments[${i}]`;
    const model = lookup(() => getModel(d.model, `${path}.model`), `${path}.model`, issues);
    const instance = lookup(() => getInstanceType(d.instanceType, `${path}.instanceType`), `${path}.instanceType`, issues);
    if (!model || !instance) return;
    inputs.push({ ...d, sourcePath: path, model, instance });
  });
  return inputs;
}

function matrixInputs(config: FleetConfig, issues: FleetIssue[]): DeploymentInput[] {
  const matrix = config.matrix;
  if (!matrix) return [];
  const models = matrix.models.map((m, j) => lookup(() => getModel(m, `matrix.models[${j}]`), `matrix.models[${j}]`, issues));
  const instances = matrix.instanceTypes.map((n, k) =>
    lookup(() => getInstanceType(n, `matrix.instanceTypes[${k}]`), `matrix.instanceTypes[${k}]`, issues),
  );
  return expandMatrix(
    matrix,
    models.filter((m): m is ModelSpec => m !== undefined),
    instances.filter((i): i is InstanceTypeSpec => i !== undefined),
  );
}

/**
 * Fleet config → deployments with every default applied and every rule checked. Throws
 * FleetValidationError with all problems (paths like `deployments[2].tp`); matrix combinations
 * that cannot exist are returned in `skipped` with the reason.
 */
export function resolveFleet(config: FleetConfig, opts: ResolveFleetOptions): ResolvedFleet {
  const issues: FleetIssue[] = [];
  const deployments: ResolvedDeployment[] = [];
  const skipped: { id: string; reason: string }[] = [];
  const discount = checkDiscount(opts.discount ?? config.discount ?? 0, opts.discount !== undefined ? 'discount' : 'discount (fleet file)');
  const pricing = { region: opts.region, overrides: opts.priceOverrides, discount, refreshed: opts.refreshedPrices };
  const base: Omit<ResolveContext, 'skipImpossible'> = { config, region: opts.region, pricing };
  const firstPathById = new Map<string, string>();
  const inputs: [DeploymentInput, boolean][] = [
    ...explicitInputs(config, issues).map((i): [DeploymentInput, boolean] => [i, false]),
    ...matrixInputs(config, issues).map((i): [DeploymentInput, boolean] => [i, true]),
  ];
  for (const [input, fromMatrix] of inputs) {
    const outcome = resolveDeployment(input, { ...base, skipImpossible: fromMatrix });
    if (outcome.kind === 'skipped') {
      skipped.push({ id: outcome.id, reason: outcome.reason });
      continue;
    }
    const d = outcome.deployment;
    const earlier = firstPathById.get(d.id);
    if (earlier !== undefined) {
      issues.push({ path: `${d.sourcePath}.id`, message: `duplicate deployment id '${d.id}' (also ${earlier}); give each deployment a unique id` });
    } else {
      firstPathById.set(d.id, d.sourcePath);
    }
    issues.push(...outcome.issues.filter((i) => !(i.path === 'region' && issues.some((j) => j.path === 'region'))));
    deployments.push(d);
  }
  for (const clash of duplicateEndpointNames(deployments)) {
    issues.push({ path: 'deployments', message: `deployments ${clash.ids.join(', ')} would share the endpoint name '${clash.endpointName}'; give them ids that differ after the instance type is merged in` });
  }
  if (issues.length === 0 && deployments.length === 0) {
    issues.push({ path: 'matrix', message: `every matrix combination is impossible: ${skipped.map((s) => `${s.id}: ${s.reason}`).join('; ')}` });
  }
  const cost = fleetCost(deployments, config.maxHourlyUsd, issues, { region: opts.region, discount });
  if (issues.length > 0) throw new FleetValidationError([...issues].sort((a, b) => fileOrder(a) - fileOrder(b)), opts.file);
  return { name: config.name, region: opts.region, deployments, skipped, ...cost, discount };
}
