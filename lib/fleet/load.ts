import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UserInputError } from '../errors';
import { FleetValidationError, type FleetIssue } from './errors';
import { FleetConfigSchema, type FleetConfig } from './schema';

type PathKey = PropertyKey;

/** `['deployments', 2, 'tp']` → `deployments[2].tp`. */
export function formatIssuePath(path: readonly PathKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out === '' ? String(key) : `${out}.${String(key)}`;
  }, '');
}

/** Reads and validates a fleet file; throws FleetValidationError listing every problem. */
export function loadFleetFile(path: string): FleetConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserInputError('fleet', `cannot read fleet file '${path}'${code ? ` (${code})` : ''}`);
  }
  return parseFleetYaml(text, path);
}

/** Parses fleet YAML text (line-aware errors) and validates it against the schema. */
export function parseFleetYaml(text: string, file?: string): FleetConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new FleetValidationError(
      doc.errors.map((e) => ({
        path: 'yaml',
        message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
        line: e.linePos?.[0]?.line,
      })),
      file,
    );
  }
  const result = FleetConfigSchema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  throw new FleetValidationError(
    result.error.issues.flatMap((issue) => zodIssueToFleetIssues(issue, doc, lineCounter)),
    file,
  );
}

function zodIssueToFleetIssues(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter): FleetIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      return { path: formatIssuePath(path), message: 'unknown field (check the spelling; see fleets/fleet.schema.json)', line: lineOf(doc, lines, path) };
    });
  }
  const path = issue.path;
  return [{ path: formatIssuePath(path) || 'fleet', message: issue.message, line: lineOf(doc, lines, path) }];
}

/** Line of the node at `path`, or of its nearest existing parent (a missing key points at its object). */
function lineOf(doc: Document, lines: LineCounter, path: readonly PathKey[]): number | undefined {
  for (let n = path.length; n >= 0; n -= 1) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}
