import { UserInputError } from '../errors';

/**
 * Service-level objectives judged per request (any subset). A request meets the SLOs when it
 * succeeded and every set bound holds for it:
 * - `ttftMs`: time to first token (first token event − send), streaming only;
 * - `itlMs`: the request's inter-token latency, TPOT = (e2e − TTFT) / (tokens − 1), streaming only;
 * - `e2eMs`: end − send;
 * - `msPerToken`: e2e / generated tokens.
 * A bound on a measure the request lacks (TTFT of a non-streamed request) is not met.
 */
export interface Slo {
  readonly ttftMs?: number;
  readonly itlMs?: number;
  readonly e2eMs?: number;
  readonly msPerToken?: number;
}

/** The measures of one request an SLO is judged on, ms, already scaled to endpoint time. */
export interface SloMeasures {
  readonly ok: boolean;
  readonly ttftMs?: number;
  readonly tpotMs?: number;
  readonly e2eMs: number;
  readonly msPerToken?: number;
}

const SLO_KEYS = { ttft: 'ttftMs', itl: 'itlMs', e2e: 'e2eMs', msPerToken: 'msPerToken' } as const satisfies Record<string, keyof Slo>;

/** The SLO names `parseSlo` accepts, as written in `name=MS`. */
export const SLO_NAMES: readonly string[] = Object.keys(SLO_KEYS);

/**
 * Parses `ttft=2000,itl=100,e2e=30000,msPerToken=50` (any subset, each once, values ms > 0).
 * Errors name `field` (the domain field; the CLI passes its flag).
 */
export function parseSlo(text: string, field = 'slo'): Slo {
  const slo: Record<string, number> = {};
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length === 0) throw new UserInputError(field, `give at least one bound, e.g. ttft=2000,itl=100 (names: ${SLO_NAMES.join(', ')})`);
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = eq >= 0 ? part.slice(0, eq).trim() : part;
    const key = (SLO_KEYS as Record<string, keyof Slo | undefined>)[name];
    if (key === undefined) throw new UserInputError(field, `unknown SLO '${name}'; allowed: ${SLO_NAMES.join(', ')} (as name=MS)`);
    if (slo[key] !== undefined) throw new UserInputError(field, `'${name}' is given twice`);
    const value = Number(part.slice(eq + 1));
    if (eq < 0 || !Number.isFinite(value) || value <= 0) throw new UserInputError(field, `'${part}': the bound must be a number of ms > 0, e.g. ${name}=100`);
    slo[key] = value;
  }
  return slo as Slo;
}

/** True when the SLO sets at least one bound. */
export function hasSlo(slo: Slo | undefined): slo is Slo {
  return slo !== undefined && Object.values(slo).some((v) => v !== undefined);
}

/** True when a request meets every bound of `slo` (see {@link Slo}). */
export function meetsSlo(m: SloMeasures, slo: Slo): boolean {
  if (!m.ok) return false;
  if (slo.ttftMs !== undefined && !(m.ttftMs !== undefined && m.ttftMs <= slo.ttftMs)) return false;
  if (slo.itlMs !== undefined && !(m.tpotMs !== undefined && m.tpotMs <= slo.itlMs)) return false;
  if (slo.e2eMs !== undefined && !(m.e2eMs <= slo.e2eMs)) return false;
  if (slo.msPerToken !== undefined && !(m.msPerToken !== undefined && m.msPerToken <= slo.msPerToken)) return false;
  return true;
}

/** `ttft=2000,itl=100` form of an SLO, for reports and stop details. */
export function formatSlo(slo: Slo): string {
  return Object.entries(SLO_KEYS)
    .filter(([, key]) => slo[key] !== undefined)
    .map(([name, key]) => `${name}=${slo[key]}`)
    .join(',');
}
