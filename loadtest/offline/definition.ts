/**
 * The sweep state machine as the synthesized template holds it: its DefinitionString (an Fn::Join of
 * JSON text and ARN tokens) resolved into plain JSON, with each Lambda ARN replaced by a placeholder
 * ARN that names the function's logical id, and each function's pipeline step read from its environment.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>>;
}

export interface StateDefinition {
  readonly Type: string;
  Resource?: string;
  Result?: Json;
  ItemProcessor?: StatesDefinition & { ProcessorConfig?: unknown };
  Iterator?: StatesDefinition;
  [key: string]: unknown;
}

export interface StatesDefinition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  [key: string]: unknown;
}

export interface ExtractedStateMachine {
  readonly logicalId: string;
  readonly definition: StatesDefinition;
  /** Placeholder Lambda ARN → pipeline step ('run-worker', …). */
  readonly stepByArn: ReadonlyMap<string, string>;
}

/** Placeholder ARN of a function by logical id (what Fn::GetAtt [id, 'Arn'] resolves to offline). */
export function placeholderLambdaArn(logicalId: string, region: string, account: string): string {
  return `arn:aws:lambda:${region}:${account}:function:${logicalId}`;
}

const PSEUDO: Record<string, (region: string, account: string) => string> = {
  'AWS::Partition': () => 'aws',
  'AWS::Region': (region) => region,
  'AWS::AccountId': (_r, account) => account,
  'AWS::URLSuffix': () => 'amazonaws.com',
};

/** Resolves the intrinsics a DefinitionString uses (Fn::Join, Fn::GetAtt, Ref, Fn::Sub of pseudo parameters). */
export function resolveIntrinsics(value: unknown, template: CfnTemplate, region: string, account: string): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') throw new Error(`unsupported DefinitionString part: ${JSON.stringify(value)}`);
  const obj = value as Record<string, unknown>;
  if ('Fn::Join' in obj) {
    const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => resolveIntrinsics(p, template, region, account)).join(sep);
  }
  if ('Fn::GetAtt' in obj) {
    const [id, attr] = obj['Fn::GetAtt'] as [string, string];
    const type = template.Resources[id]?.Type;
    if (type === 'AWS::Lambda::Function' && attr === 'Arn') return placeholderLambdaArn(id, region, account);
    return `arn:aws:local:${region}:${account}:${id}/${attr}`;
  }
  if ('Ref' in obj) {
    const ref = obj.Ref as string;
    return PSEUDO[ref]?.(region, account) ?? `arn:aws:local:${region}:${account}:${ref}`;
  }
  if ('Fn::Sub' in obj && typeof obj['Fn::Sub'] === 'string') {
    return (obj['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_m, name: string) => PSEUDO[name]?.(region, account) ?? name);
  }
  throw new Error(`unsupported intrinsic in DefinitionString: ${Object.keys(obj).join(', ')}`);
}

/** Every state of a definition, nested Map processors and Parallel branches included. */
export function allStates(definition: StatesDefinition): [string, StateDefinition][] {
  const out: [string, StateDefinition][] = [];
  for (const [name, state] of Object.entries(definition.States)) {
    out.push([name, state]);
    const inner = state.ItemProcessor ?? state.Iterator;
    if (inner) out.push(...allStates(inner));
    const branches = state.Branches as StatesDefinition[] | undefined;
    for (const branch of branches ?? []) out.push(...allStates(branch));
  }
  return out;
}

/**
 * The state machine of the template whose definition starts at `startAt` (the sweep machine starts
 * at 'SelectDeployment'), resolved for local execution.
 */
export function extractStateMachine(template: CfnTemplate, opts: { region: string; account: string; startAt: string; stepEnv: string }): ExtractedStateMachine {
  const stepByArn = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const env = (resource.Properties?.Environment as { Variables?: Record<string, string> } | undefined)?.Variables;
    const step = env?.[opts.stepEnv];
    if (step) stepByArn.set(placeholderLambdaArn(id, opts.region, opts.account), step);
  }
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const text = resolveIntrinsics(resource.Properties?.DefinitionString, template, opts.region, opts.account);
    const definition = JSON.parse(text) as StatesDefinition;
    if (definition.StartAt === opts.startAt) return { logicalId, definition, stepByArn };
  }
  throw new Error(`no AWS::StepFunctions::StateMachine starting at '${opts.startAt}' in the template`);
}

/**
 * Makes a definition runnable by aws-local-stepfunctions: Distributed Map processors run inline
 * (the library has no Distributed Map), everything else unchanged.
 */
export function localizeDefinition(definition: StatesDefinition): StatesDefinition {
  const copy = JSON.parse(JSON.stringify(definition)) as StatesDefinition;
  for (const [, state] of allStates(copy)) {
    if (state.Type === 'Map' && state.ItemProcessor?.ProcessorConfig !== undefined) {
      delete state.ItemProcessor.ProcessorConfig;
      delete state.ItemReader;
      delete state.ResultWriter;
      delete state.ItemBatcher;
      delete state.Label;
      delete state.ToleratedFailurePercentage;
    }
  }
  return copy;
}
