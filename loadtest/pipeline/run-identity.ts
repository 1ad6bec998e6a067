import { createHash } from 'node:crypto';
import { UserInputError } from '../../lib/errors';
import { version as packageVersion } from '../../package.json';

/** Version of llm-bench that measured a run (package.json): part of every run's identity. */
export const TOOL_VERSION: string = packageVersion;

/** A JSON value (what an identity is made of). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Everything that defines what a run measures; two runs with equal identities measure the same
 * thing and may share a folder or run id (one resumes the other). Absent facts are left out.
 */
export interface RunIdentity {
  /** What is measured: protocol, address, inference component, time compression. */
  readonly target: JsonValue;
  /** Deployment behind the target when known (model, instance type and count, TP, copies, price). */
  readonly deployment?: JsonValue;
  /** Prompts: input and output tokens, seed, dataset. */
  readonly payload: JsonValue;
  /** How each level is driven: window or request count, warm-up, streaming, deadline, workers. */
  readonly workload: JsonValue;
  /** Concurrency levels (a list or 'auto' with its cap). */
  readonly levels: JsonValue;
  /** Stop rules and latency bounds. */
  readonly slos: JsonValue;
  /** Engine settings of the endpoint when known (e.g. TGI launcher settings). */
  readonly engine?: JsonValue;
  readonly toolVersion: string;
}

/** JSON with object keys sorted, `undefined` fields dropped: equal identities give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** `sha256:` + hex SHA-256 of the identity's canonical JSON. */
export function identityHash(identity: RunIdentity): string {
  return `sha256:${createHash('sha256').update(canonicalJson(identity)).digest('hex')}`;
}

function flatten(value: unknown, path: string, into: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0 && path !== '') into.set(path, '{}');
    for (const [k, v] of entries) flatten(v, path === '' ? k : `${path}.${k}`, into);
    return;
  }
  into.set(path, canonicalJson(value));
}

/** Fields that differ between two identities, e.g. `target.address: "http://a" → "my-ep"`, in field order. */
export function identityDifferences(stored: RunIdentity, requested: RunIdentity): string[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(stored, '', a);
  flatten(requested, '', b);
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  return fields.filter((f) => a.get(f) !== b.get(f)).map((f) => `${f}: ${a.get(f) ?? '(absent)'} → ${b.get(f) ?? '(absent)'}`);
}

/**
 * A resume whose identity differs from the run already stored at that place. `field` is the place
 * (`--out`, `--run-id` or `runId`); the message lists the differing fields and the remedies.
 */
export class RunIdentityError extends UserInputError {
  public readonly differences: readonly string[];

  constructor(field: string, location: string, differences: readonly string[], remedies: string) {
    super(
      field,
      `${location} holds a different run; it is not resumed. Differing fields (stored → requested):\n  ${differences.join('\n  ')}\n${remedies}`,
    );
    this.name = 'RunIdentityError';
    this.differences = differences;
  }
}
