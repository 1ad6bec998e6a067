import { DEFAULT_PRICE_REGION, quotePrice, type PriceOverrides, type PriceRow } from '../catalog';
import { costPerMillionTokensUsd } from './cost';
import { DEFAULT_MIN_SLO_ATTAINMENT } from './defaults';
import type { SweepResult } from './records';
import { minCostAtSloOf } from './slo-figures';

/** How to re-price stored sweeps (`llm-bench report --price … --discount … --region …`). */
export interface Repricing {
  readonly overrides?: PriceOverrides;
  readonly discount?: number;
  /** Region to price in; default: the sweep's own (stored with its price), else us-east-1. */
  readonly region?: string;
  readonly refreshed?: readonly PriceRow[];
}

/**
 * The sweep re-priced: when its instance type is overridden, or a discount or a region is given, the
 * price of one instance is quoted again (quotePrice) in the sweep's region, and the hourly price of all
 * its instances, the cost per 1M tokens at max throughput and $ per 1M tokens at SLO are recomputed. Sweeps without an
 * instance type, or with nothing to change, are returned as stored.
 */
export function withPrices(sweep: SweepResult, repricing: Repricing): SweepResult {
  const instanceType = sweep.deployment?.instanceType;
  if (instanceType === undefined || sweep.deployment === undefined) return sweep;
  const name = instanceType.startsWith('ml.') ? instanceType : `ml.${instanceType}`;
  const overridden = repricing.overrides?.[name] !== undefined || repricing.overrides?.[name.slice(3)] !== undefined;
  if (!overridden && repricing.discount === undefined && repricing.region === undefined) return sweep;
  const stored = sweep.deployment.price;
  const quote = quotePrice(name, {
    region: repricing.region ?? stored?.region ?? DEFAULT_PRICE_REGION,
    overrides: repricing.overrides,
    discount: repricing.discount ?? stored?.discount ?? 0,
    refreshed: repricing.refreshed,
  });
  const hourlyUsd = quote.usd * (sweep.deployment.instances ?? 1);
  const tokensPerS = sweep.maxThroughput?.tokensPerS ?? 0;
  const { cost: stored_, minCostAtSlo: storedAtSlo, ...rest } = sweep;
  const atSlo = minCostAtSloOf(sweep.levels, hourlyUsd, storedAtSlo?.minAttainment ?? DEFAULT_MIN_SLO_ATTAINMENT);
  const time = stored_ !== undefined ? { levelSeconds: stored_.levelSeconds, instanceSeconds: stored_.instanceSeconds } : undefined;
  const priced = tokensPerS > 0 ? { hourlyUsd, usdPerMillionTokensAtMaxThroughput: costPerMillionTokensUsd(hourlyUsd, tokensPerS) } : {};
  return {
    ...rest,
    deployment: { ...sweep.deployment, hourlyUsd, price: quote },
    ...(atSlo !== undefined ? { minCostAtSlo: atSlo } : {}),
    ...(time !== undefined ? { cost: { ...time, ...priced } } : tokensPerS > 0 ? { cost: { levelSeconds: 0, instanceSeconds: 0, ...priced } } : {}),
  };
}
