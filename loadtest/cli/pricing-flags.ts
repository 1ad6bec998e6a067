import type { Command } from 'commander';
import { parseDiscount, parsePriceOverrides, type Pricing } from '../../lib/catalog';
import { priceFilePath, readPriceFile } from '../pricing/price-file';

/**
 * The price flags every command that shows cost takes (`--price`, `--discount`), and the pricing
 * they give with the local price file (`llm-bench prices --refresh`; LLM_BENCH_PRICES_FILE or
 * ~/.llm-bench/prices.json), which every command reads.
 */
export interface PriceFlags {
  readonly price?: string;
  readonly discount?: string;
}

export function addPriceOptions(command: Command): Command {
  return command
    .option('--price <overrides>', 'hourly on-demand price overrides, e.g. ml.g5.2xlarge=1.6,ml.p4d.24xlarge=30')
    .option('--discount <fraction>', 'fraction off every price, e.g. 0.3 for a Savings Plan (also 30%)');
}

/** Pricing of `region` from the flags and the local price file; `fleetDiscount` applies when --discount is not given. */
export function pricingFromFlags(flags: PriceFlags, region: string, env: NodeJS.ProcessEnv = process.env, fleetDiscount?: number): Pricing {
  return {
    region,
    overrides: flags.price !== undefined ? parsePriceOverrides(flags.price) : undefined,
    discount: flags.discount !== undefined ? parseDiscount(flags.discount) : fleetDiscount,
    refreshed: readPriceFile(priceFilePath(env)),
  };
}
