/**
 * Reads SageMaker hosting prices of one region from the AWS Price List Query API (`GetProducts`).
 *
 * - Endpoints exist only in a few regions (us-east-1, ap-south-1, eu-central-1); the client is pinned
 *   to us-east-1 whatever the deployment's region:
 *   https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html
 * - `pricing:GetProducts` has no resource-level permissions (Resource "*"):
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_awspricelist.html
 * - Products of service code `AmazonSageMaker` carry `productFamily` "ML Instance", `component`
 *   ("Hosting" for real-time inference, also "Training", "Notebook", …), `instanceName` (`ml.g5.2xlarge`)
 *   and `regionCode`; TERM_MATCH on those is what AWS's own tools filter by (awslabs/llmeter
 *   llmeter/callbacks/cost/providers/sagemaker.py: component=Hosting, instanceName, regionCode, unit Hrs).
 * - `PriceList` is an array of JSON *strings*, one product each, with `terms.OnDemand.{term}.priceDimensions.{dim}`
 *   `{unit: "Hrs", pricePerUnit: {USD: "1.5150000000"}}`:
 *   https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html
 */
import { GetProductsCommand, PricingClient, type Filter } from '@aws-sdk/client-pricing';
import { UserInputError } from '../../lib/errors';
import { listInstanceTypes } from '../../lib/catalog/lookup';
import type { PriceRow } from '../../lib/catalog/price-table';

/** Region of the Price List Query API endpoint the client calls. */
export const PRICE_LIST_API_REGION = 'us-east-1';
export const PRICE_LIST_SOURCE = 'AWS Price List API (GetProducts, AmazonSageMaker, component Hosting)';

/** The GetProducts filters for real-time inference instances of a region. */
export function hostingFilters(region: string): Filter[] {
  return [
    { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'ML Instance' },
    { Type: 'TERM_MATCH', Field: 'component', Value: 'Hosting' },
    { Type: 'TERM_MATCH', Field: 'regionCode', Value: region },
  ];
}

interface PriceDimension {
  readonly unit?: string;
  readonly pricePerUnit?: Readonly<Record<string, string>>;
}

interface PriceListProduct {
  readonly product?: { readonly attributes?: Readonly<Record<string, string>> };
  readonly terms?: { readonly OnDemand?: Readonly<Record<string, { readonly priceDimensions?: Readonly<Record<string, PriceDimension>> }>> };
  readonly publicationDate?: string;
}

/** The hourly USD on-demand price of one PriceList entry, or undefined when it has none. */
function hourlyUsd(product: PriceListProduct): number | undefined {
  for (const term of Object.values(product.terms?.OnDemand ?? {})) {
    for (const dim of Object.values(term.priceDimensions ?? {})) {
      const usd = Number(dim.pricePerUnit?.USD);
      if (dim.unit?.toLowerCase().startsWith('hr') && Number.isFinite(usd) && usd > 0) return usd;
    }
  }
  return undefined;
}

/**
 * PriceList entries (JSON strings) → rows for the catalog's instance types in `region`; entries of
 * other components, regions or instance types are skipped. `readOn` is the date of the read.
 */
export function rowsFromPriceList(priceList: readonly string[], region: string, readOn: Date): PriceRow[] {
  const known = new Set(listInstanceTypes().map((i) => i.name));
  const rows = new Map<string, PriceRow>();
  for (const entry of priceList) {
    const product = JSON.parse(entry) as PriceListProduct;
    const a = product.product?.attributes ?? {};
    const instance = a.instanceName;
    if (instance === undefined || !known.has(instance) || a.component !== 'Hosting' || a.regionCode !== region) continue;
    const usd = hourlyUsd(product);
    if (usd === undefined) continue;
    rows.set(instance, {
      instance,
      region,
      usd,
      asOf: readOn.toISOString().slice(0, 10),
      source: PRICE_LIST_SOURCE,
      verified: true,
      ...(product.publicationDate !== undefined ? { note: `offer published ${product.publicationDate}` } : {}),
    });
  }
  return [...rows.values()].sort((x, y) => x.instance.localeCompare(y.instance));
}

/** Clear errors for the failures a user can fix. */
function explain(error: unknown): Error {
  const name = (error as { name?: string }).name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError' || /credential/i.test(message)) {
    return new UserInputError(
      'credentials',
      `reading prices from the AWS Price List API needs AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or an SSO login) allowed pricing:GetProducts; none were found (${message})`,
    );
  }
  if (name === 'AccessDeniedException') {
    return new UserInputError('credentials', `the AWS Price List API refused the request: allow pricing:GetProducts (${message})`);
  }
  return error instanceof Error ? error : new Error(message);
}

/** Every hosting price of `region` for the catalog's instance types (all pages). */
export async function fetchHostingPrices(client: PricingClient, region: string, now: Date): Promise<PriceRow[]> {
  const entries: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await client.send(
        new GetProductsCommand({ ServiceCode: 'AmazonSageMaker', Filters: hostingFilters(region), FormatVersion: 'aws_v1', MaxResults: 100, NextToken: nextToken }),
      );
      entries.push(...(page.PriceList ?? []));
      nextToken = page.NextToken;
    } while (nextToken !== undefined && nextToken !== '');
  } catch (error) {
    throw explain(error);
  }
  return rowsFromPriceList(entries, region, now);
}

/** A Price List client: us-east-1, or a given endpoint (a loopback server in tests and the offline harness). */
export function createPriceListClient(options: { readonly endpoint?: string; readonly credentials?: { accessKeyId: string; secretAccessKey: string } } = {}): PricingClient {
  return new PricingClient({
    region: PRICE_LIST_API_REGION,
    maxAttempts: 2,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
  });
}
