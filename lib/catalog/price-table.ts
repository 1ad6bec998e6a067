/**
 * The shipped price table: on-demand SageMaker real-time inference (hosting) prices per instance
 * type and region, USD per instance-hour, each row dated and sourced. us-east-1 rows are read from
 * public tables; rows of other regions are derived from them (see `regionalRows`) and marked
 * `verified: false`. `llm-bench prices --refresh` replaces a region's rows with the Price List API's.
 */
import { EC2_RATIO_SOURCE, EC2_REGION_RATIO } from './price-regions';

export interface PriceRow {
  /** SageMaker instance type, `ml.*`. */
  readonly instance: string;
  readonly region: string;
  /** On-demand price of one instance per hour, USD, before any discount. */
  readonly usd: number;
  /** Date the figure was read (or the oldest date of what it is derived from), ISO `YYYY-MM-DD`. */
  readonly asOf: string;
  /** URL or API the figure comes from. */
  readonly source: string;
  /** False when the figure was not read for this instance and region from a price source. */
  readonly verified: boolean;
  /** How an unverified figure was obtained. */
  readonly derivedFrom?: string;
  readonly note?: string;
}

export const PRICING_PAGE = 'https://aws.amazon.com/sagemaker/pricing/';
const READ_ON = '2026-11-27';
const CUT_READ_ON = '2026-11-30';

/*
 * us-east-1, verified: the AWS page is not in the reference corpus; each figure agrees with at least two
 * independent public us-east-1 SageMaker hosting tables (e.g. FMBench's config lists ml.g5.2xlarge 1.515,
 * ml.g5.12xlarge 7.09, ml.g5.48xlarge 20.36, ml.g6.12xlarge 5.752), and with EC2 on-demand × 1.25
 * (× 1.4 for the xlarge sizes) of the EC2 table in price-regions.ts.
 */
const CORROBORATED = 'agrees with ≥2 independent public us-east-1 SageMaker hosting price tables and with EC2 on-demand × 1.25 (xlarge: × 1.4)';

/*
 * P4/P5 after the 2025 price cut. SageMaker priced these at EC2 on-demand × 1.15 before the cut
 * (ml.p4d.24xlarge 37.688 = 1.15 × EC2 32.7726); the rows apply that ratio to the EC2 prices after the
 * cut (p4d 21.957642, p4de 27.44705, p5 55.04 in the EC2 table of price-regions.ts). A 2026 public
 * SageMaker table lists the same figures (25.2513, 31.5641, 63.296); the AWS page was not readable.
 */
const AFTER_CUT = 'EC2 on-demand after the 2025 P4/P5 price cut × 1.15 (the SageMaker/EC2 ratio before the cut: 37.688 / 32.7726)';

interface UsEast1Row {
  readonly instance: string;
  readonly usd: number;
  readonly verified: boolean;
  readonly derivedFrom?: string;
  readonly note?: string;
}

const US_EAST_1: readonly UsEast1Row[] = [
  { instance: 'ml.g5.xlarge', usd: 1.408, verified: true },
  { instance: 'ml.g5.2xlarge', usd: 1.515, verified: true },
  { instance: 'ml.g5.4xlarge', usd: 2.03, verified: true },
  { instance: 'ml.g5.8xlarge', usd: 3.06, verified: true },
  { instance: 'ml.g5.12xlarge', usd: 7.09, verified: true },
  { instance: 'ml.g5.16xlarge', usd: 5.12, verified: true },
  { instance: 'ml.g5.24xlarge', usd: 10.18, verified: true },
  { instance: 'ml.g5.48xlarge', usd: 20.36, verified: true },
  { instance: 'ml.g6.xlarge', usd: 1.127, verified: true },
  { instance: 'ml.g6.2xlarge', usd: 1.222, verified: true },
  { instance: 'ml.g6.12xlarge', usd: 5.752, verified: true },
  { instance: 'ml.g6.48xlarge', usd: 16.688, verified: true },
  { instance: 'ml.g6e.xlarge', usd: 2.61, verified: true },
  { instance: 'ml.g6e.2xlarge', usd: 2.8, verified: true },
  { instance: 'ml.g6e.12xlarge', usd: 13.12, verified: true },
  { instance: 'ml.g6e.48xlarge', usd: 37.66, verified: true },
  { instance: 'ml.p4d.24xlarge', usd: 25.2513, verified: false, derivedFrom: AFTER_CUT, note: 'study-era price 37.688 (before the 2025 cut)' },
  { instance: 'ml.p4de.24xlarge', usd: 31.5641, verified: false, derivedFrom: AFTER_CUT },
  { instance: 'ml.p5.48xlarge', usd: 63.296, verified: false, derivedFrom: AFTER_CUT, note: 'pre-cut list price 113.068' },
];

function usEast1Row(r: UsEast1Row): PriceRow {
  return {
    instance: r.instance,
    region: 'us-east-1',
    usd: r.usd,
    asOf: r.verified ? READ_ON : CUT_READ_ON,
    source: PRICING_PAGE,
    verified: r.verified,
    ...(r.derivedFrom !== undefined ? { derivedFrom: r.derivedFrom } : {}),
    note: r.note ?? (r.verified ? CORROBORATED : undefined),
  };
}

/** Rounds to 4 decimals, as AWS quotes hourly prices. */
function round4(usd: number): number {
  return Math.round(usd * 1e4) / 1e4;
}

/**
 * Other regions: the us-east-1 SageMaker price × the EC2 on-demand price ratio of the instance family
 * (region / us-east-1). SageMaker hosting prices are EC2's times a family-wide factor in us-east-1
 * (see above); the rows assume the factor holds in every region, so they are unverified.
 */
function regionalRows(base: readonly PriceRow[]): PriceRow[] {
  const rows: PriceRow[] = [];
  for (const row of base) {
    const family = row.instance.split('.')[1];
    const ratios = EC2_REGION_RATIO[family] ?? {};
    for (const [region, ratio] of Object.entries(ratios)) {
      rows.push({
        instance: row.instance,
        region,
        usd: round4(row.usd * ratio),
        asOf: EC2_RATIO_SOURCE.asOf < row.asOf ? EC2_RATIO_SOURCE.asOf : row.asOf,
        source: EC2_RATIO_SOURCE.url,
        verified: false,
        derivedFrom: `us-east-1 ${row.usd} × ${ratio} (EC2 on-demand ${family} ${region} / us-east-1)`,
      });
    }
  }
  return rows;
}

const US_EAST_1_ROWS = US_EAST_1.map(usEast1Row);

export const PRICE_TABLE: readonly PriceRow[] = [...US_EAST_1_ROWS, ...regionalRows(US_EAST_1_ROWS)];
