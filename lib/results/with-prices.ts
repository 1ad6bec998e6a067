import { hourlyPriceUsd, type PriceOverrides } from '../catalog';
import { costPerMillionTokensUsd } from './cost';
import type { SweepResult } from './records';

/**
 * The sweep re-priced with hourly price overrides (e.g. `llm-bench report --price ml.g5.2xlarge=1.2`
 * for a discount or another region): when its deployment's instance type is overridden, the hourly
 * price of all its instances and the cost per 1M tokens at max throughput are recomputed. Sweeps of
 * other instance types, or without one, are returned as stored.
 */
export function withPrices(sweep: SweepResult, overrides: PriceOverrides): SweepResult {
  const instanceType = sweep.deployment?.instanceType;
  if (instanceType === undefined || sweep.deployment === undefined) return sweep;
  const name = instanceType.startsWith('ml.') ? instanceType : `ml.${instanceType}`;
  if (overrides[name] === undefined) return sweep;
  const hourlyUsd = hourlyPriceUsd(name, overrides) * (sweep.deployment.instances ?? 1);
  const tokensPerS = sweep.maxThroughput?.tokensPerS ?? 0;
  const { cost: _stored, ...rest } = sweep;
  return {
    ...rest,
    deployment: { ...sweep.deployment, hourlyUsd },
    ...(tokensPerS > 0 ? { cost: { hourlyUsd, usdPerMillionTokensAtMaxThroughput: costPerMillionTokensUsd(hourlyUsd, tokensPerS) } } : {}),
  };
}
