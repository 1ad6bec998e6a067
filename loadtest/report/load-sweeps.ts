import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError } from '../../lib/errors';
import type { SweepResult } from '../../lib/results/records';
import { READABLE_SWEEP_VERSIONS, upgradeSweepResult, type StoredSweepResult } from '../../lib/results/stop-reason';
import { REPORT_FILES } from './names';

/** Name of a stored sweep (see REPORT_FILES). */
export const SWEEP_FILE_NAME = REPORT_FILES.json;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the fields a report reads; the message names what is wrong so the user can fix the file. */
function problemsOf(value: unknown): string | undefined {
  if (!isObject(value)) return 'expected a SweepResult object';
  if (!READABLE_SWEEP_VERSIONS.includes(value.schemaVersion as number)) {
    return `schemaVersion ${JSON.stringify(value.schemaVersion)} is not supported (this llm-bench reads schemaVersion ${READABLE_SWEEP_VERSIONS.join(' or ')})`;
  }
  if (typeof value.label !== 'string') return 'label must be a string';
  if (!isObject(value.target) || typeof value.target.kind !== 'string') return 'target.kind must be a string';
  if (!isObject(value.payload)) return 'payload must be an object';
  if (!Array.isArray(value.levels)) return 'levels must be an array';
  for (const [i, level] of value.levels.entries()) {
    if (!isObject(level)) return `levels[${i}] must be an object`;
    for (const field of ['concurrency', 'requests', 'ok', 'throughputTokensPerS'] as const) {
      if (typeof level[field] !== 'number') return `levels[${i}].${field} must be a number`;
    }
    if (!isObject(level.latencyMsPerToken) || !isObject(level.e2eMs) || !isObject(level.errors)) {
      return `levels[${i}] must have latencyMsPerToken, e2eMs and errors objects`;
    }
  }
  return undefined;
}

function sweepFileOf(path: string): string {
  if (!existsSync(path)) throw new UserInputError(path, 'no such file or directory (give a sweep.json or a folder holding one)');
  if (!statSync(path).isDirectory()) return path;
  const file = join(path, SWEEP_FILE_NAME);
  if (!existsSync(file)) throw new UserInputError(path, `folder has no ${SWEEP_FILE_NAME} (run \`llm-bench sweep --out ${path}\` first)`);
  return file;
}

/**
 * Reads stored sweeps: each path is a sweep.json or a folder holding one. A file may hold one
 * SweepResult or an array of them (a comparison report's sweep.json). Throws UserInputError
 * naming the file when it is missing, not JSON or not a supported SweepResult.
 */
export function loadSweeps(paths: readonly string[]): SweepResult[] {
  const sweeps: SweepResult[] = [];
  for (const path of paths) {
    const file = sweepFileOf(path);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UserInputError(file, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const items = Array.isArray(parsed) ? parsed : [parsed];
    if (items.length === 0) throw new UserInputError(file, 'holds an empty array; expected a SweepResult or an array of them');
    for (const [i, item] of items.entries()) {
      const problem = problemsOf(item);
      if (problem) throw new UserInputError(Array.isArray(parsed) ? `${file}[${i}]` : file, problem);
      sweeps.push(upgradeSweepResult(item as StoredSweepResult));
    }
  }
  return sweeps;
}
