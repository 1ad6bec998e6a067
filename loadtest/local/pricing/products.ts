/**
 * Price List products as the AWS Price List API returns them for service code AmazonSageMaker:
 * the `product` / `terms.OnDemand` / `publicationDate` shape of a GetProducts `PriceList` entry
 * (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html;
 * attribute names as AWS's llmeter filters them: component, instanceName, regionCode).
 */

/** One SageMaker instance-hour product to serve. */
export interface ProductSpec {
  readonly instance: string;
  readonly region: string;
  /** USD per instance-hour. */
  readonly usd: number;
  /** `Hosting` (real-time inference), `Training`, `Notebook`, … @default 'Hosting' */
  readonly component?: string;
}

/** Price List `location` names of a few regions; others fall back to the region code. */
const LOCATION: Readonly<Record<string, string>> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'EU (Ireland)',
  'eu-central-1': 'EU (Frankfurt)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
};

/** Usage-type prefix of a few regions (`USE1-Hosting:ml.g5.2xlarge`). */
const USAGE_PREFIX: Readonly<Record<string, string>> = {
  'us-east-1': 'USE1',
  'us-east-2': 'USE2',
  'us-west-2': 'USW2',
  'eu-west-1': 'EU',
  'eu-central-1': 'EUC1',
  'ap-northeast-1': 'APN1',
};

/** A deterministic SKU-like id of 16 upper-case characters. */
function skuOf(spec: ProductSpec): string {
  let h = 2166136261;
  for (const c of `${spec.instance}|${spec.region}|${spec.component ?? 'Hosting'}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 16; i++) {
    out += alphabet[h % alphabet.length];
    h = Math.imul(h ^ (i + 7), 2654435761) >>> 0;
  }
  return out;
}

export interface PriceListProduct {
  readonly product: { readonly productFamily: string; readonly attributes: Readonly<Record<string, string>>; readonly sku: string };
  readonly serviceCode: string;
  readonly terms: Readonly<Record<string, unknown>>;
  readonly version: string;
  readonly publicationDate: string;
}

/** The Price List document of one product (what GetProducts serializes into a PriceList string). */
export function priceListProduct(spec: ProductSpec, publicationDate: string): PriceListProduct {
  const component = spec.component ?? 'Hosting';
  const sku = skuOf(spec);
  const location = LOCATION[spec.region] ?? spec.region;
  const term = `${sku}.JRTCKXETXF`;
  return {
    product: {
      productFamily: 'ML Instance',
      attributes: {
        servicecode: 'AmazonSageMaker',
        servicename: 'Amazon SageMaker',
        location,
        locationType: 'AWS Region',
        regionCode: spec.region,
        instanceName: spec.instance,
        instanceType: `${spec.instance}-${component}`,
        component,
        usagetype: `${USAGE_PREFIX[spec.region] ?? spec.region}-${component}:${spec.instance}`,
        operation: 'RunInstance',
      },
      sku,
    },
    serviceCode: 'AmazonSageMaker',
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions: {
            [`${term}.6YS6EN2CT7`]: {
              unit: 'Hrs',
              endRange: 'Inf',
              description: `$${spec.usd} per Hour for ${spec.instance}-${component} in ${location}`,
              appliesTo: [],
              rateCode: `${term}.6YS6EN2CT7`,
              beginRange: '0',
              pricePerUnit: { USD: spec.usd.toFixed(10) },
            },
          },
          sku,
          effectiveDate: publicationDate,
          offerTermCode: 'JRTCKXETXF',
          termAttributes: {},
        },
      },
    },
    version: publicationDate.replace(/\D/g, '').slice(0, 14),
    publicationDate,
  };
}

/** True when a product matches a TERM_MATCH filter (attributes, or top-level fields such as productFamily). */
export function matchesFilter(p: PriceListProduct, field: string, value: string): boolean {
  const top: Readonly<Record<string, string>> = { productFamily: p.product.productFamily, ServiceCode: p.serviceCode, sku: p.product.sku };
  const actual = p.product.attributes[field] ?? top[field];
  return actual !== undefined && actual.toLowerCase() === value.toLowerCase();
}
