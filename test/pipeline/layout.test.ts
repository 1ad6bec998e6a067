import { concurrencyOfLevelKey, levelKey, levelRecordsPrefix, recordsKey, runIdProblem, runPrefix } from '../../loadtest/pipeline/layout';

describe('results layout', () => {
  it('keys a run under runs/{deployment}/{runId}/', () => {
    expect(levelKey('d1', 'run-1', 48)).toBe('runs/d1/run-1/levels/c-48.json');
    expect(recordsKey('d1', 'run-1', 4, 2)).toBe('runs/d1/run-1/records/c-4-w2.jsonl.gz');
    // c-4-w does not match c-48-w…: the prefix of one level never lists another's records.
    expect(recordsKey('d1', 'run-1', 48, 0).startsWith(levelRecordsPrefix('d1', 'run-1', 4))).toBe(false);
    expect(concurrencyOfLevelKey('runs/d1/run-1/levels/c-128.json')).toBe(128);
    expect(concurrencyOfLevelKey('runs/d1/run-1/records/c-128-w0.jsonl.gz')).toBeUndefined();
  });

  it.each(['../../etc', 'a b', 'a/b', '', '-leading-dash', 'x'.repeat(81)])('refuses the unsafe run id %j', (runId) => {
    expect(runIdProblem(runId)).toContain('is not a valid run id');
    expect(() => runPrefix('d1', runId)).toThrow('runId:');
  });

  it.each(['offline-20261127-045234', 'in-service-0a1b2c', 'Run_2', 'x'.repeat(80)])('accepts the run id %j', (runId) => {
    expect(runIdProblem(runId)).toBeUndefined();
  });
});
