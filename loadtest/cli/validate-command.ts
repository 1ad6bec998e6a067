import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { describePrice } from '../../lib/catalog';
import { UserInputError } from '../../lib/errors';
import { FleetValidationError, formatFleetIssue } from '../../lib/fleet/errors';
import { loadFleetFile } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import { fleetJsonSchema } from '../../lib/fleet/schema';
import type { ResolvedFleet } from '../../lib/fleet/types';
import { addPriceOptions, pricingFromFlags, type PriceFlags } from './pricing-flags';

export const DEFAULT_SCHEMA_PATH = 'fleets/fleet.schema.json';
/** Region when neither the flag, the file nor the environment names one (the study's). */
const FALLBACK_REGION = 'us-east-1';

export interface ValidateOptions extends PriceFlags {
  readonly region?: string;
  /** Write the fleet JSON Schema (true: to fleets/fleet.schema.json). */
  readonly jsonSchema?: string | boolean;
}

export interface ValidateIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** Summary table of a valid fleet: one row per deployment and a total. */
export function renderFleetTable(fleet: ResolvedFleet): string {
  const header = ['deployment', 'model', 'instance', 'engine', 'layout', 'tp×copies', 'instances', 'accelerators', '$/h'];
  const rows = fleet.deployments.map((d) => [
    d.id,
    d.model.id,
    d.instanceType.name,
    d.engine,
    d.layout,
    `${d.tp}×${d.copies}`,
    String(d.instances),
    String(d.instanceType.acceleratorCount * d.instances),
    d.hourlyUsd.toFixed(2),
  ]);
  const accelerators = fleet.deployments.reduce((s, d) => s + d.instanceType.acceleratorCount * d.instances, 0);
  rows.push(['total', '', '', '', '', '', String(fleet.deployments.reduce((s, d) => s + d.instances, 0)), String(accelerators), fleet.hourlyUsd.toFixed(2)]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => (c >= 6 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Runs `llm-bench validate`; returns the exit code. Prints problems one per line, never a stack. */
export function runValidate(file: string | undefined, opts: ValidateOptions, io: ValidateIo): number {
  try {
    if (opts.jsonSchema !== undefined && opts.jsonSchema !== false) {
      const path = typeof opts.jsonSchema === 'string' ? opts.jsonSchema : DEFAULT_SCHEMA_PATH;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${JSON.stringify(fleetJsonSchema(), null, 2)}\n`);
      io.out(`wrote ${path}\n`);
      if (file === undefined) return 0;
    }
    if (file === undefined) throw new UserInputError('FILE', 'give a fleet file to validate, e.g. llm-bench validate fleets/published-study.yaml');
    const config = loadFleetFile(file);
    const env = io.env ?? process.env;
    const region = opts.region ?? config.region ?? env.CDK_DEFAULT_REGION ?? env.AWS_REGION ?? FALLBACK_REGION;
    const pricing = pricingFromFlags(opts, region, env);
    const fleet = resolveFleet(config, { region, priceOverrides: pricing.overrides, discount: pricing.discount, refreshedPrices: pricing.refreshed, file });
    for (const s of fleet.skipped) io.out(`skipped ${s.id}: ${s.reason}\n`);
    io.out(`${renderFleetTable(fleet)}\n`);
    const now = new Date();
    const quotes = new Map(fleet.deployments.map((d) => [d.price.instance, d.price]));
    for (const quote of quotes.values()) io.out(`${describePrice(quote, now)}\n`);
    const priced = fleet.discount > 0 ? `after a ${Math.round(fleet.discount * 100)}% discount` : 'on demand';
    const budget = fleet.maxHourlyUsdExplicit ? `maxHourlyUsd ${fleet.maxHourlyUsd}` : `default ceiling $${fleet.maxHourlyUsd}/h`;
    io.out(
      `${file}: valid; ${fleet.deployments.length} deployments in ${region}, $${fleet.hourlyUsd.toFixed(2)}/h ${priced}, ` +
        `$${fleet.peakHourlyUsd.toFixed(2)}/h at the autoscaling maximum (${budget})\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof FleetValidationError) {
      for (const issue of error.issues) io.err(`error: ${file ?? ''}: ${formatFleetIssue(issue)}\n`);
      return 1;
    }
    if (error instanceof UserInputError) {
      for (const line of error.message.split('\n')) io.err(`error: ${line}\n`);
      return 1;
    }
    throw error;
  }
}

export function register(program: Command): void {
  const command = program
    .command('validate')
    .description('Validate a fleet file and print its deployments, accelerators and hourly cost')
    .argument('[file]', 'fleet YAML file, e.g. fleets/published-study.yaml')
    .option('--region <region>', 'region to check images for (default: the file, CDK_DEFAULT_REGION, AWS_REGION, us-east-1)')
    .option('--json-schema [path]', `write the fleet JSON Schema (default ${DEFAULT_SCHEMA_PATH})`);
  addPriceOptions(command).action((file: string | undefined, opts: ValidateOptions) => {
      const code = runValidate(file, opts, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
      if (code !== 0) process.exitCode = code;
    });
}
