import { UserInputError } from '../../lib/errors';
import { CAPACITY_TIMING_FIELDS, capacityTimingRange, isCapacityTimingField, isCapacityTimingValue, type CapacityTimingParams } from '../../lib/planner/capacity-timing';

/**
 * `--capacity containerStartS=10,downloadGBps=1.5`: one-off overrides of the twin's capacity model
 * (any subset), applied over the fleet's `benchmark.twin.capacity`. Ranges: CAPACITY_TIMING_RANGES.
 */
export function parseCapacityFlag(text: string, flag = '--capacity'): Partial<CapacityTimingParams> {
  const allowed = `allowed keys: ${CAPACITY_TIMING_FIELDS.join(', ')} (e.g. containerStartS=10,downloadGBps=1.5)`;
  const out: Partial<Record<keyof CapacityTimingParams, number>> = {};
  const pairs = text.split(',').map((p) => p.trim());
  if (text.trim() === '') throw new UserInputError(flag, `give key=value pairs; ${allowed}`);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq).trim();
    if (eq < 0) throw new UserInputError(flag, `'${pair}' is not key=value; ${allowed}`);
    if (!isCapacityTimingField(key)) throw new UserInputError(flag, `unknown key '${key}'; ${allowed}`);
    if (key in out) throw new UserInputError(flag, `${key} is given twice`);
    const raw = pair.slice(eq + 1).trim();
    const value = raw === '' ? Number.NaN : Number(raw);
    if (!isCapacityTimingValue(key, value)) throw new UserInputError(flag, `${key} must be ${capacityTimingRange(key)}, got '${raw}'`);
    out[key] = value;
  }
  return out;
}
