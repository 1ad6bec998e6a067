/** Hourly prices: the catalog's us-east-1 on-demand figure unless the user overrides it. */
import { UserInputError } from '../errors';
import { getInstanceType, normalizeInstanceName } from './lookup';

/** Instance name (`ml.*`) → USD per hour. */
export type PriceOverrides = Readonly<Record<string, number>>;

/** Parses `ml.g5.2xlarge=1.6,ml.p4d.24xlarge=30` (the `ml.` prefix is optional; empty → no overrides). */
export function parsePriceOverrides(spec: string, field = '--price'): PriceOverrides {
  const overrides: Record<string, number> = {};
  for (const rawEntry of spec.split(',')) {
    const entry = rawEntry.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) {
      throw new UserInputError(field, `'${entry}' is not INSTANCE=USD_PER_HOUR (e.g. ml.g5.2xlarge=1.6)`);
    }
    const name = getInstanceType(entry.slice(0, eq), field).name;
    const valueText = entry.slice(eq + 1).trim();
    const usd = Number(valueText);
    if (!/^\d+(\.\d+)?$/.test(valueText) || !Number.isFinite(usd) || usd <= 0) {
      throw new UserInputError(field, `price '${valueText}' for ${name} must be a positive decimal number of USD per hour (e.g. 1.6)`);
    }
    if (name in overrides) throw new UserInputError(field, `${name} is given more than once`);
    overrides[name] = usd;
  }
  return overrides;
}

export function hourlyPriceUsd(instanceName: string, overrides?: PriceOverrides): number {
  const name = normalizeInstanceName(instanceName);
  const override = overrides?.[name] ?? overrides?.[name.slice('ml.'.length)];
  if (override !== undefined) return override;
  return getInstanceType(name, 'instance').price.usd;
}
