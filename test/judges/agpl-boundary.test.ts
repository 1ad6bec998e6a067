import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * @cloud-copilot/iam-simulate is AGPL-3.0: only the offline harness and tests may import it. Nothing
 * deployed (the construct library, the Lambda handlers and what they import) may.
 */
const ROOT = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

/** Every source file `file` imports, transitively (relative imports only). */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
    const base = path.resolve(path.dirname(file), spec as string);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => {
      try {
        return statSync(f).isFile();
      } catch {
        return false;
      }
    });
    if (target !== undefined) closure(target, seen);
  }
  return seen;
}

describe('AGPL boundary of the IAM judge', () => {
  it('no Lambda handler reaches @cloud-copilot packages through its imports', () => {
    const handlers = sources(path.join(ROOT, 'loadtest', 'handlers'));
    const reached = new Set(handlers.flatMap((h) => [...closure(h)]));
    expect(reached.size).toBeGreaterThan(handlers.length);
    const offenders = [...reached].filter((file) => /from '@cloud-copilot\//.test(readFileSync(file, 'utf8'))).map((f) => path.relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('lib/, the Lambda handlers and bin/ never import @cloud-copilot packages', () => {
    const deployed = [...sources(path.join(ROOT, 'lib')), ...sources(path.join(ROOT, 'loadtest', 'handlers')), ...sources(path.join(ROOT, 'bin'))];
    expect(deployed.length).toBeGreaterThan(20);
    const offenders = deployed.filter((file) => /from '@cloud-copilot\//.test(readFileSync(file, 'utf8'))).map((f) => path.relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('the judge itself does (the check above is not vacuous)', () => {
    expect(readFileSync(path.join(ROOT, 'loadtest', 'local', 'judges', 'iam', 'iam-judge.ts'), 'utf8')).toMatch(/from '@cloud-copilot\/iam-simulate'/);
  });
});
