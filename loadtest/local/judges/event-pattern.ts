/**
 * Event judge: does an EventBridge event pattern match an event? EventBridge's matching rules,
 * implemented from its documentation (no maintained matcher library is available here):
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 * - every field of the pattern must match (AND); the values listed for a field are alternatives (OR);
 * - a pattern object descends into the event's object; a list is matched against a leaf value, or
 *   any element of a list of leaves;
 * - exact values match by JSON equality (strings case-sensitive, `null` matches null);
 * - content filters: prefix / suffix (optionally `equals-ignore-case`), equals-ignore-case,
 *   anything-but (value, list, prefix, suffix, equals-ignore-case, wildcard), numeric (ranges),
 *   exists, wildcard, cidr (IPv4); `$or` lists alternative sub-patterns;
 * - a field the event lacks matches only `{ "exists": false }`.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when `event` matches `pattern`. Throws on a malformed pattern, naming the field. */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) throw new Error('event pattern: must be a JSON object');
  return matchObject(pattern, event, '');
}

function matchObject(pattern: Record<string, unknown>, event: unknown, path: string): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2) throw new Error(`event pattern: ${path}$or needs a list of at least two patterns`);
      if (!rule.some((alternative) => isObject(alternative) && matchObject(alternative, event, path))) return false;
      continue;
    }
    const field = `${path}${key}`;
    const present = isObject(event) && Object.prototype.hasOwnProperty.call(event, key);
    const value = present ? (event as Record<string, unknown>)[key] : undefined;
    if (isObject(rule)) {
      if (!present || !isObject(value)) return false;
      if (!matchObject(rule, value, `${field}.`)) return false;
      continue;
    }
    if (!Array.isArray(rule)) throw new Error(`event pattern: ${field} must be a list of values or an object`);
    if (!matchLeaf(rule, present, value, field)) return false;
  }
  return true;
}

/** One field: any alternative matching the value (or, for a list, any of its elements). */
function matchLeaf(alternatives: readonly unknown[], present: boolean, value: unknown, field: string): boolean {
  const values: unknown[] = present ? (Array.isArray(value) ? value : [value]) : [];
  return alternatives.some((alt) => {
    if (isObject(alt)) {
      if ('exists' in alt) {
        if (typeof alt.exists !== 'boolean') throw new Error(`event pattern: ${field} exists must be true or false`);
        // exists matches leaves only: an object value does not "exist" for it.
        const leafPresent = present && !isObject(value);
        return alt.exists === leafPresent;
      }
      return values.some((v) => matchFilter(alt, v, field));
    }
    return values.some((v) => isLeaf(v) && v === alt);
  });
}

function isLeaf(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function matchFilter(filter: Record<string, unknown>, value: unknown, field: string): boolean {
  const [op, ...rest] = Object.keys(filter);
  if (op === undefined || rest.length > 0) throw new Error(`event pattern: ${field} filter must hold exactly one operator, got ${JSON.stringify(filter)}`);
  const arg = filter[op];
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && stringTest(arg, field, op, (s, ci) => (ci ? value.toLowerCase().startsWith(s.toLowerCase()) : value.startsWith(s)));
    case 'suffix':
      return typeof value === 'string' && stringTest(arg, field, op, (s, ci) => (ci ? value.toLowerCase().endsWith(s.toLowerCase()) : value.endsWith(s)));
    case 'equals-ignore-case':
      if (typeof arg !== 'string') throw new Error(`event pattern: ${field} equals-ignore-case takes a string`);
      return typeof value === 'string' && value.toLowerCase() === arg.toLowerCase();
    case 'wildcard':
      if (typeof arg !== 'string') throw new Error(`event pattern: ${field} wildcard takes a string`);
      return typeof value === 'string' && wildcardRegExp(arg).test(value);
    case 'numeric':
      return typeof value === 'number' && numericMatch(arg, value, field);
    case 'cidr':
      if (typeof arg !== 'string') throw new Error(`event pattern: ${field} cidr takes a string`);
      return typeof value === 'string' && cidrContains(arg, value);
    case 'anything-but':
      return anythingBut(arg, value, field);
    default:
      throw new Error(`event pattern: ${field} has unknown operator '${op}'`);
  }
}

/** prefix/suffix take a string, or `{ "equals-ignore-case": string }`. */
function stringTest(arg: unknown, field: string, op: string, test: (s: string, ignoreCase: boolean) => boolean): boolean {
  if (typeof arg === 'string') return test(arg, false);
  if (isObject(arg) && typeof arg['equals-ignore-case'] === 'string') return test(arg['equals-ignore-case'], true);
  throw new Error(`event pattern: ${field} ${op} takes a string or {"equals-ignore-case": string}`);
}

function anythingBut(arg: unknown, value: unknown, field: string): boolean {
  if (!isLeaf(value)) return false;
  if (isObject(arg)) {
    const [op] = Object.keys(arg);
    const inner = arg[op as string];
    const strings = (Array.isArray(inner) ? inner : [inner]) as unknown[];
    // The string forms of anything-but apply to string values only.
    if (typeof value !== 'string') return false;
    switch (op) {
      case 'prefix':
        return !strings.some((s) => typeof s === 'string' && value.startsWith(s));
      case 'suffix':
        return !strings.some((s) => typeof s === 'string' && value.endsWith(s));
      case 'equals-ignore-case':
        return !strings.some((s) => typeof s === 'string' && value.toLowerCase() === s.toLowerCase());
      case 'wildcard':
        return !strings.some((s) => typeof s === 'string' && wildcardRegExp(s).test(value));
      default:
        throw new Error(`event pattern: ${field} anything-but has unknown operator '${op}'`);
    }
  }
  const excluded = Array.isArray(arg) ? arg : [arg];
  return !excluded.some((x) => x === value);
}

/** `*` matches any run of characters; `\*` a literal star. */
function wildcardRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] as string;
    if (c === '\\' && pattern[i + 1] === '*') {
      source += '\\*';
      i += 1;
    } else if (c === '*') source += '.*';
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

function numericMatch(arg: unknown, value: number, field: string): boolean {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) throw new Error(`event pattern: ${field} numeric takes [op, number, …]`);
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const bound = arg[i + 1];
    if (typeof bound !== 'number') throw new Error(`event pattern: ${field} numeric bound must be a number`);
    const ok =
      op === '=' ? value === bound : op === '<' ? value < bound : op === '<=' ? value <= bound : op === '>' ? value > bound : op === '>=' ? value >= bound : undefined;
    if (ok === undefined) throw new Error(`event pattern: ${field} numeric operator '${String(op)}' is not one of = < <= > >=`);
    if (!ok) return false;
  }
  return true;
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function cidrContains(cidr: string, address: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const network = ipv4(base ?? '');
  const ip = ipv4(address);
  if (network === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) throw new Error(`event pattern: '${cidr}' is not an IPv4 CIDR block`);
  if (ip === undefined) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(ip / size) === Math.floor(network / size);
}
