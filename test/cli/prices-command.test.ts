import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PRICE_FILE_ENV } from '../../loadtest/pricing/price-file';
import { startPriceListServer, type PriceListServer } from '../../loadtest/local/pricing';
import { runCli, runMain } from '../support/cli';

/** Env of an AWS SDK client with no credentials anywhere (no env keys, profile files, IMDS or container). */
const CREDENTIAL_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_REGION',
  PRICE_FILE_ENV,
];

describe('llm-bench prices', () => {
  let dir: string;
  let saved: Record<string, string | undefined>;
  let server: PriceListServer | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'prices-'));
    saved = Object.fromEntries(CREDENTIAL_ENV.map((k) => [k, process.env[k]]));
    for (const k of CREDENTIAL_ENV) delete process.env[k];
    process.env[PRICE_FILE_ENV] = path.join(dir, 'prices.json');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'no-credentials');
    process.env.AWS_CONFIG_FILE = path.join(dir, 'no-config');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a region with each row\'s source, date and age, flags stale rows and lists unverified ones', async () => {
    const out = await runCli(['prices', '--region', 'eu-west-1']);
    // Derived from EC2 data of 2026-01-21: old, so flagged (the threshold is 90 days).
    expect(out).toMatch(/ml\.g5\.12xlarge\s+eu-west-1\s+7\.9124\s+table\s+2026-01-21\s+\d+ STALE\s+no/);
    expect(out).toMatch(/ml\.g6e\.2xlarge\s+eu-west-1\s+2\.8\s+table-us-east-1/);
    expect(out).toMatch(/unverified rows \(\d+\), derived as follows:\n {2}ml\.g5\.xlarge eu-west-1: us-east-1 1\.408 × 1\.116/);
    expect(out).toMatch(/older than 90 days: run llm-bench prices --refresh/);
    expect(out).toMatch(/local price file: .*prices\.json \(none: shipped table only\)/);
  });

  it('prints JSON rows as every command prices them', async () => {
    const doc = JSON.parse(await runCli(['prices', '--region', 'us-east-1', '--json'])) as { staleAfterDays: number; prices: { instance: string; listUsd: number; verified: boolean; asOf: string }[] };
    expect(doc.staleAfterDays).toBe(90);
    expect(doc.prices.find((p) => p.instance === 'ml.p4d.24xlarge')).toMatchObject({ listUsd: 25.2513, verified: false });
    expect(doc.prices.find((p) => p.instance === 'ml.g5.2xlarge')).toMatchObject({ listUsd: 1.515, verified: true, asOf: '2026-11-27' });
  });

  it('--refresh reads the region from the Price List API (real client, loopback endpoint) and the next plan uses it', async () => {
    server = await startPriceListServer({
      maxPageSize: 2,
      products: [
        { instance: 'ml.g5.2xlarge', region: 'eu-west-1', usd: 1.7 },
        { instance: 'ml.g5.12xlarge', region: 'eu-west-1', usd: 8.1 },
        { instance: 'ml.p4d.24xlarge', region: 'eu-west-1', usd: 27.1 },
        // Same instance, other component or region: must not be taken.
        { instance: 'ml.g5.2xlarge', region: 'eu-west-1', usd: 1.9, component: 'Training' },
        { instance: 'ml.g5.2xlarge', region: 'us-east-1', usd: 1.2 },
        // Not in the catalog: skipped.
        { instance: 'ml.m5.xlarge', region: 'eu-west-1', usd: 0.26 },
      ],
    });
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    const out = await runCli(['prices', '--refresh', '--region', 'eu-west-1', '--endpoint-url', server.url]);
    expect(out).toMatch(/^wrote 3 eu-west-1 prices from the AWS Price List API to .*prices\.json/);
    expect(out).toMatch(/ml\.g5\.2xlarge\s+eu-west-1\s+1\.7\s+price-list\s+\d{4}-\d{2}-\d{2}\s+0\s+yes/);

    // The real client paged through (2 per page) with the hosting filters of the region.
    expect(server.requests.length).toBe(2);
    expect(server.requests[0]).toMatchObject({ target: 'AWSPriceListService.GetProducts', serviceCode: 'AmazonSageMaker' });
    expect(server.requests[0].filters).toEqual([
      { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'ML Instance' },
      { Type: 'TERM_MATCH', Field: 'component', Value: 'Hosting' },
      { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' },
    ]);
    expect(server.requests[1].nextToken).toBeDefined();
    const file = JSON.parse(readFileSync(path.join(dir, 'prices.json'), 'utf8')) as { schemaVersion: number; rows: { instance: string; usd: number }[] };
    expect(file.schemaVersion).toBe(1);
    expect(file.rows.map((r) => [r.instance, r.usd])).toEqual([
      ['ml.g5.12xlarge', 8.1],
      ['ml.g5.2xlarge', 1.7],
      ['ml.p4d.24xlarge', 27.1],
    ]);

    const plan = JSON.parse(await runCli(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--region', 'eu-west-1', '--instances', '2', '--json']));
    expect(plan.hourlyUsd).toBeCloseTo(3.4, 12);
    expect(plan.price).toMatchObject({ region: 'eu-west-1', listUsd: 1.7, origin: 'price-list', verified: true });
    // us-east-1 was not refreshed: still the shipped table.
    const usPlan = JSON.parse(await runCli(['plan', '--model', 'llama-2-7b', '--instance', 'ml.g5.2xlarge', '--region', 'us-east-1', '--json']));
    expect(usPlan.price).toMatchObject({ listUsd: 1.515, origin: 'table' });
  });

  it('--refresh without credentials fails with a clear error and leaves no file', async () => {
    server = await startPriceListServer({ products: [{ instance: 'ml.g5.2xlarge', region: 'eu-west-1', usd: 1.7 }] });
    const result = await runMain(['prices', '--refresh', '--region', 'eu-west-1', '--endpoint-url', server.url]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error: credentials: reading prices from the AWS Price List API needs AWS credentials .* allowed pricing:GetProducts; none were found/);
    expect(server.requests).toHaveLength(0);
    expect(() => readFileSync(path.join(dir, 'prices.json'))).toThrow();
  });
});
