import { App } from 'aws-cdk-lib';
import { buildApp, type BuiltApp } from '../../lib/fleet/app';

export const TEST_ENV = { account: '123456789012', region: 'us-east-1' } as const;

export interface SynthesizedFleet extends BuiltApp {
  readonly app: App;
  /** Template of each stack by stack name. */
  readonly templates: Record<string, Template>;
  /** Synthesized template file of each stack by stack name. */
  readonly templatePaths: Record<string, string>;
}

export type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: unknown }> } & Record<string, unknown>;

/** Builds and synthesizes a fleet offline (explicit account and region, no lookups). */
export function synthFleet(fleetPath: string, log: (line: string) => void = () => undefined, validate = false): SynthesizedFleet {
  // Skip Lambda bundling (the pipeline's esbuild run): templates keep their shape, asset hashes are normalized anyway.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: validate });
  const built = buildApp(app, { fleetPath, region: TEST_ENV.region, account: TEST_ENV.account, log });
  const assembly = app.synth();
  const templates = Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template as Template]));
  const templatePaths = Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.templateFullPath]));
  return { ...built, app, templates, templatePaths };
}

/** Resources of one type across all templates. */
export function resourcesOfType(templates: Record<string, Template>, type: string): { stack: string; properties: Record<string, unknown> }[] {
  return Object.entries(templates).flatMap(([stack, t]) =>
    Object.values(t.Resources ?? {})
      .filter((r) => r.Type === type)
      .map((r) => ({ stack, properties: r.Properties ?? {} })),
  );
}
