import { join } from 'node:path';
import { UserInputError } from '../../lib/errors';
import type { DeploymentInput } from '../../lib/benchmark/pipeline-state';
import { DEFAULT_POLL_INTERVAL_S } from '../../lib/benchmark/sweep-state-machine';
import { checkSpeedup, compressedPollMs, deploymentState, executionNameOf, fleetDeployment, offlineEmfPath } from '../../loadtest/offline/execute';
import type { StatesDefinition } from '../../loadtest/offline/definition';
import { RUN_ID_PATTERN } from '../../loadtest/pipeline/layout';

describe('what the offline runs share around an execution', () => {
  it('an execution name keeps the run id (its first 60 characters), is unique and within Step Functions\' 80', () => {
    const longest = 'r'.repeat(80);
    expect(RUN_ID_PATTERN.test(longest)).toBe(true);
    const a = executionNameOf(longest);
    const b = executionNameOf(longest);
    expect(a).toMatch(/^r{60}-[0-9a-f]{8}$/);
    expect(a.length).toBe(69);
    expect(a).not.toBe(b);
    expect(executionNameOf('offline-20260101-0930')).toMatch(/^offline-20260101-0930-[0-9a-f]{8}$/);
  });

  it('an unknown --deployment names the fleet\'s deployments', () => {
    const fleet = [{ id: 'a-g5' }, { id: 'b-p4d' }];
    expect(fleetDeployment(fleet, 'b-p4d')).toBe(fleet[1]);
    expect(() => fleetDeployment(fleet, 'c')).toThrow(UserInputError);
    expect(() => fleetDeployment(fleet, 'c')).toThrow("--deployment: unknown deployment 'c'; the fleet has: a-g5, b-p4d");
  });

  it("reads and replaces the deployment carried by its 'Use {id}' Pass state; a missing state is named", () => {
    const input = { id: 'a-g5', endpointName: 'ep' } as unknown as DeploymentInput;
    const definition: StatesDefinition = { StartAt: 'Use a-g5', States: { 'Use a-g5': { Type: 'Pass', Result: input as never } } };
    const state = deploymentState(definition, 'a-g5');
    expect(state.input).toBe(input);
    state.set({ ...input, endpointName: 'other' });
    expect(deploymentState(definition, 'a-g5').input.endpointName).toBe('other');
    expect(() => deploymentState(definition, 'b')).toThrow("definition has no 'Use b' state");
  });

  it("polls as the state machine does (every 30 s of endpoint time), compressed by the speedup, never under 10 ms", () => {
    expect(DEFAULT_POLL_INTERVAL_S).toBe(30);
    expect(compressedPollMs(1)).toBe(30_000);
    expect(compressedPollMs(30)).toBe(1000);
    expect(compressedPollMs(7)).toBe(4286);
    expect(compressedPollMs(100_000)).toBe(10);
  });

  it('refuses a speedup that is not a number > 0, naming the flag', () => {
    expect(() => checkSpeedup(30)).not.toThrow();
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => checkSpeedup(bad)).toThrow(`--speedup: ${bad} is not a number > 0`);
  });

  it("writes a run's EMF lines under metrics/ of the results folder, one file per deployment and run", () => {
    expect(offlineEmfPath('/results', 'a-g5', 'offline-1')).toBe(join('/results', 'metrics', 'a-g5-offline-1.emf.jsonl'));
  });
});
