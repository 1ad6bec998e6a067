import type { ExtractedStateMachine, StatesDefinition } from './definition';
import { allStates } from './definition';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** What aws-local-stepfunctions calls for a Task state. */
export type LocalTaskHandler = (input: Json) => Promise<Json>;

/** A pipeline step's handler as the local executor calls it (JSON in, JSON out). */
export type StepHandler = (input: unknown) => Promise<unknown>;

/**
 * Local handlers for every Task state: Lambda tasks (by function ARN → step) run the real handler
 * code; other service integrations (SNS notifications) succeed without doing anything offline.
 */
export function bindTasks(
  machine: ExtractedStateMachine,
  definition: StatesDefinition,
  handlers: Readonly<Record<string, StepHandler>>,
): Record<string, LocalTaskHandler> {
  const bound: Record<string, LocalTaskHandler> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type !== 'Task') continue;
    const step = state.Resource !== undefined ? machine.stepByArn.get(state.Resource) : undefined;
    if (step === undefined) {
      bound[name] = async () => ({});
      continue;
    }
    const handler = handlers[step];
    if (handler === undefined) throw new Error(`no local handler for step '${step}' (state ${name})`);
    bound[name] = handler as LocalTaskHandler;
  }
  return bound;
}

/** Names of every Task state (for retry-interval overrides). */
export function taskStateNames(definition: StatesDefinition): string[] {
  return allStates(definition)
    .filter(([, s]) => s.Type === 'Task' || s.Type === 'Map')
    .map(([name]) => name);
}
