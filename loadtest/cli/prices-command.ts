import type { Command } from 'commander';
import {
  DEFAULT_PRICE_REGION,
  isStale,
  listInstanceTypes,
  priceAgeDays,
  quotePrice,
  shippedPriceRows,
  STALE_AFTER_DAYS,
  type PriceQuote,
} from '../../lib/catalog';
import { UserInputError } from '../../lib/errors';
import { priceFilePath, readPriceFile, writePriceFile } from '../pricing/price-file';
import { createPriceListClient, fetchHostingPrices } from '../pricing/price-list';

/**
 * `llm-bench prices`: the hourly price of every catalog instance type in a region, as every command
 * prices it (quotePrice: local price file, else shipped table), with each row's source, date and age;
 * prices older than STALE_AFTER_DAYS are flagged and unverified rows say what they derive from.
 * `--refresh` reads the region's hosting prices from the AWS Price List API into the local price file.
 */
export interface PricesFlags {
  readonly region?: string;
  readonly json?: boolean;
  readonly refresh?: boolean;
  /** Price List API endpoint override (a local Price List in tests). */
  readonly endpointUrl?: string;
}

export interface PricesIo {
  readonly out: (text: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => Date;
}

interface PriceLine extends PriceQuote {
  readonly ageDays?: number;
  readonly stale: boolean;
}

function regionsOf(region: string): string[] {
  if (region !== 'all') return [region];
  return [...new Set(shippedPriceRows().map((r) => r.region))].sort();
}

function render(lines: readonly PriceLine[], file: string): string {
  const header = ['instance', 'region', 'USD/h', 'from', 'as of', 'age (d)', 'verified'];
  const rows = lines.map((l) => [
    l.instance,
    l.region,
    String(l.listUsd),
    l.origin,
    l.asOf ?? '—',
    l.ageDays === undefined ? '—' : `${l.ageDays}${l.stale ? ' STALE' : ''}`,
    l.verified ? 'yes' : 'no',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''];
  const sources = [...new Set(lines.map((l) => l.source))];
  out.push('sources:', ...sources.map((s) => `  ${s}`), '');
  const unverified = lines.filter((l) => !l.verified);
  if (unverified.length > 0) {
    out.push(`unverified rows (${unverified.length}), derived as follows:`);
    for (const l of unverified) out.push(`  ${l.instance} ${l.region}: ${l.derivedFrom ?? 'not confirmed against its source'}`);
    out.push('');
  }
  const stale = lines.filter((l) => l.stale).length;
  out.push(`${stale} of ${lines.length} prices are older than ${STALE_AFTER_DAYS} days${stale > 0 ? ': run llm-bench prices --refresh --region REGION with AWS credentials' : ''}.`);
  out.push(`local price file: ${file}${readPriceFile(file).length === 0 ? ' (none: shipped table only)' : ''}`);
  return `${out.join('\n')}\n`;
}

export async function runPrices(flags: PricesFlags, io: PricesIo): Promise<void> {
  const env = io.env ?? process.env;
  const now = (io.now ?? (() => new Date()))();
  const region = flags.region ?? env.AWS_REGION ?? DEFAULT_PRICE_REGION;
  const file = priceFilePath(env);
  if (flags.refresh) {
    if (region === 'all') throw new UserInputError('--region', "give one region to refresh, e.g. --region us-east-1 ('all' only lists)");
    const rows = await fetchHostingPrices(createPriceListClient({ endpoint: flags.endpointUrl }), region, now);
    if (rows.length === 0) {
      throw new UserInputError('--region', `the AWS Price List API lists no SageMaker hosting price in ${region} for the catalog's instance types; the price file is unchanged`);
    }
    writePriceFile(region, rows, file);
    if (!flags.json) io.out(`wrote ${rows.length} ${region} prices from the AWS Price List API to ${file}\n\n`);
  }
  const refreshed = readPriceFile(file);
  const lines: PriceLine[] = regionsOf(region).flatMap((r) =>
    listInstanceTypes().map((i): PriceLine => {
      const quote = quotePrice(i.name, { region: r, refreshed });
      return { ...quote, ...(quote.asOf !== undefined ? { ageDays: priceAgeDays(quote.asOf, now) } : {}), stale: isStale(quote, now) };
    }),
  );
  io.out(flags.json ? `${JSON.stringify({ staleAfterDays: STALE_AFTER_DAYS, priceFile: file, prices: lines }, null, 2)}\n` : render(lines, file));
}

export function register(program: Command): void {
  program
    .command('prices')
    .description('show the hourly price of each instance type in a region, with its source, date and age; --refresh reads current prices from the AWS Price List API')
    .option('--region <region>', `region to show or refresh, or 'all' to list every region of the table (default: AWS_REGION, else ${DEFAULT_PRICE_REGION})`)
    .option('--refresh', 'read the region\'s SageMaker hosting prices from the AWS Price List API (needs AWS credentials allowed pricing:GetProducts) into the local price file every command reads')
    .option('--endpoint-url <url>', 'Price List API endpoint override (default: the us-east-1 endpoint)')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: PricesFlags) => runPrices(flags, { out: (t) => process.stdout.write(t) }));
}
