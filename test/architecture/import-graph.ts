import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/** Files (repository-relative, '/'-separated) and the files each one imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** The file a relative specifier names, as the TypeScript compiler resolves it (x.ts, x/index.ts); undefined for packages. */
function resolveRelative(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${fromFile}: cannot resolve import '${specifier}'`);
}

/**
 * Every import of the TypeScript files under `roots` (type-only ones, re-exports and dynamic
 * imports included: a type cycle still ties modules together), parsed by the TypeScript compiler.
 */
export function buildImportGraph(repoRoot: string, roots: readonly string[]): ImportGraph {
  const graph = new Map<string, string[]>();
  const key = (path: string): string => relative(repoRoot, path).split(sep).join('/');
  for (const root of roots) {
    for (const file of sourceFiles(join(repoRoot, root))) {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = new Set<string>();
      for (const imported of info.importedFiles) {
        const target = resolveRelative(file, imported.fileName);
        if (target !== undefined) targets.add(key(target));
      }
      graph.set(key(file), [...targets].sort());
    }
  }
  return graph;
}

/** Imports that cross from a layer into one it must not depend on: `from` files importing `forbidden` files. */
export function layerViolations(graph: ImportGraph, from: string, forbidden: string): string[] {
  const violations: string[] = [];
  for (const [file, imports] of graph) {
    if (!file.startsWith(from)) continue;
    for (const target of imports) if (target.startsWith(forbidden)) violations.push(`${file} → ${target}`);
  }
  return violations;
}

/** The import cycles: strongly connected components of more than one file, or a file importing itself (Tarjan). */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles;
}
