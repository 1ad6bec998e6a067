import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { DeploymentInput } from '../../lib/benchmark/pipeline-state';
import { DEFAULT_POLL_INTERVAL_S } from '../../lib/benchmark/sweep-state-machine';
import { UserInputError } from '../../lib/errors';
import type { IamJudge } from '../local/judges/iam/iam-judge';
import { createSageMakerRuntimeClient } from '../targets/sagemaker';
import { bindTasks, taskStateNames, type StepHandler } from './bind-tasks';
import type { ExtractedStateMachine, StatesDefinition } from './definition';
import type { StepIdentity } from './local-handlers';
import { invokedAs } from './step-roles';
import type { SynthesizedFleet } from './synth';

/**
 * What the offline runs (`npm start`, `npm start --scenario`) share around an execution of the
 * synthesized state machine: the deployment's `Use {id}` Pass state, the workers' runtime client,
 * and the execution itself with every task bound to its real handler, invoked as its role.
 */

/** Where an offline run writes the EMF lines its steps emit (CloudWatch's stand-in): metrics/{deployment}-{runId}.emf.jsonl under the results folder. */
export function offlineEmfPath(outDir: string, deploymentId: string, runId: string): string {
  return path.join(outDir, 'metrics', `${deploymentId}-${runId}.emf.jsonl`);
}

/** Checks a `--speedup` (the endpoint's time compression). */
export function checkSpeedup(speedup: number): void {
  if (!(speedup > 0) || !Number.isFinite(speedup)) throw new UserInputError('--speedup', `${speedup} is not a number > 0`);
}

/** The state machine's poll (DEFAULT_POLL_INTERVAL_S of endpoint time) against a time-compressed endpoint, wall ms (at least 10). */
export function compressedPollMs(speedup: number): number {
  return Math.max(10, Math.round((DEFAULT_POLL_INTERVAL_S * 1000) / speedup));
}

/** The deployment of the fleet with id `id` (a `--deployment` flag's value), or a clear error naming the fleet's. */
export function fleetDeployment<D extends { readonly id: string }>(deployments: readonly D[], id: string): D {
  const found = deployments.find((d) => d.id === id);
  if (found === undefined) throw new UserInputError('--deployment', `unknown deployment '${id}'; the fleet has: ${deployments.map((d) => d.id).join(', ')}`);
  return found;
}

/** The deployment as the state machine carries it: the Result of its `Use {id}` Pass state; `set` replaces it (runs patch overrides in). */
export function deploymentState(definition: StatesDefinition, deploymentId: string): { readonly input: DeploymentInput; set(input: DeploymentInput): void } {
  const state = definition.States[`Use ${deploymentId}`];
  if (!state || state.Result === undefined) throw new Error(`definition has no 'Use ${deploymentId}' state`);
  return {
    input: state.Result as unknown as DeploymentInput,
    set: (input) => {
      state.Result = input as unknown as typeof state.Result;
    },
  };
}

/** The SageMaker runtime client the worker step signs with (its role's credentials toward the local twin); one pool of 1024 sockets for all its streams. */
export function workerRuntimeClient(identity: StepIdentity, opts: { readonly endpointUrl: string; readonly region: string; readonly retries: number }): ReturnType<typeof createSageMakerRuntimeClient> {
  return createSageMakerRuntimeClient({
    maxSockets: 1024,
    endpointUrl: opts.endpointUrl,
    region: opts.region,
    retries: opts.retries,
    ...(identity.credentials !== undefined ? { credentials: identity.credentials } : {}),
  });
}

/**
 * A unique execution name of a run: the run id's first 60 characters and 8 random hex digits, within
 * the 80 characters Step Functions allows (API_StartExecution `name`: 1-80; cited at RUN_ID_PATTERN in ../pipeline/layout.ts).
 */
export function executionNameOf(runId: string): string {
  return `${runId.slice(0, 60)}-${randomUUID().slice(0, 8)}`;
}

export interface OfflineExecution {
  readonly synth: SynthesizedFleet;
  readonly machine: ExtractedStateMachine;
  readonly definition: StatesDefinition;
  readonly judge: IamJudge;
  /** Each step's handler (localHandlers), invoked as the state machine's role. */
  readonly handlers: Readonly<Record<string, StepHandler>>;
  /** The execution's input (ids, run id, trigger). */
  readonly input: Readonly<Record<string, string>>;
  readonly executionName: string;
  /** Wait states shortened (ms) for a time-compressed endpoint. */
  readonly waitTimeOverrides: Readonly<Record<string, number>>;
}

/**
 * Runs the localized definition to its end with aws-local-stepfunctions: every Lambda task bound to
 * its handler (lambda:InvokeFunction judged for the state machine's role), task retries 10 ms apart,
 * the execution named as Step Functions would. Rejects with the execution's failure.
 */
export async function executeOffline(run: OfflineExecution): Promise<void> {
  const { synth, machine, definition, judge, executionName } = run;
  const ctx = { region: synth.region, account: synth.account };
  const stateMachine = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: false, checkPaths: false } });
  const execution = stateMachine.run({ ...run.input }, {
    overrides: {
      taskResourceLocalHandlers: bindTasks(machine, definition, invokedAs(synth.template, machine.logicalId, judge, run.handlers, ctx)),
      waitTimeOverrides: { ...run.waitTimeOverrides },
      retryIntervalOverrides: Object.fromEntries(taskStateNames(definition).map((name) => [name, 10])),
    },
    context: { Execution: { Name: executionName, Id: `arn:aws:states:${synth.region}:${synth.account}:execution:offline:${executionName}` } },
  });
  await execution.result;
}
