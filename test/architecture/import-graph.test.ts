import { join } from 'node:path';
import { buildImportGraph, importCycles, layerViolations, type ImportGraph } from './import-graph';

const REPO = join(__dirname, '..', '..');
const graph = buildImportGraph(REPO, ['lib', 'loadtest', 'bin', 'scripts']);

describe('import graph of lib/, loadtest/, bin/, scripts/', () => {
  it('covers the source tree', () => {
    expect(graph.get('lib/results/summarize-level.ts')).toEqual(['lib/results/confidence.ts', 'lib/results/exact-sum.ts', 'lib/results/level-accumulator.ts', 'lib/results/records.ts', 'lib/results/slo.ts']);
    expect(graph.size).toBeGreaterThan(100);
  });

  it('no file under lib/ imports from loadtest/', () => {
    expect(layerViolations(graph, 'lib/', 'loadtest/')).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });
});

describe('the checks catch what they guard against (synthetic graphs)', () => {
  const synthetic = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  it('a lib/ file importing loadtest/ is a violation; loadtest/ importing lib/ is not', () => {
    const g = synthetic({ 'lib/a.ts': ['loadtest/b.ts'], 'loadtest/b.ts': ['lib/c.ts'], 'lib/c.ts': [] });
    expect(layerViolations(g, 'lib/', 'loadtest/')).toEqual(['lib/a.ts → loadtest/b.ts']);
  });

  it('finds a three-file cycle and a self-import, and nothing in a DAG', () => {
    const g = synthetic({
      'a.ts': ['b.ts'],
      'b.ts': ['c.ts', 'd.ts'],
      'c.ts': ['a.ts'],
      'd.ts': ['e.ts'],
      'e.ts': [],
      'self.ts': ['self.ts'],
    });
    expect(importCycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['self.ts']]);
    expect(importCycles(synthetic({ 'a.ts': ['b.ts', 'c.ts'], 'b.ts': ['c.ts'], 'c.ts': [] }))).toEqual([]);
  });

  it('parses type-only imports, re-exports and dynamic imports of real files', () => {
    // lib/results/index.ts only re-exports: each re-export is an edge.
    expect(graph.get('lib/results/index.ts')).toEqual(expect.arrayContaining(['lib/results/summarize-level.ts', 'lib/results/knee/index.ts']));
    // `import type { KneeRuleDefinition } from './types'`
    expect(graph.get('lib/results/knee/latency-bound.ts')).toContain('lib/results/knee/types.ts');
    // `await import('../loadtest/offline/run-offline')`
    expect(graph.get('bin/start.ts')).toContain('loadtest/offline/run-offline.ts');
  });
});
